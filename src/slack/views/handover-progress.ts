/**
 * The handover progress message ("38/50 done"), posted once and then updated in place (`chat.update` or the
 * `response_url`) as the changes go through.
 */
import { context, fallbackText, type SlackMessage, section, userText } from './blocks.js';

export interface HandoverProgressInput {
  teamName: string;
  /** Changes finished so far, failed ones included. */
  done: number;
  total: number;
  failed: number;
}

const BAR_WIDTH = 20;

function bar(done: number, total: number): string {
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * BAR_WIDTH) : BAR_WIDTH;
  return `${'▓'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
}

export function handoverProgressMessage(input: HandoverProgressInput): SlackMessage {
  const finished = input.done >= input.total;
  const failed = input.failed > 0 ? ` · ${input.failed} failed` : '';
  const state = finished ? ':white_check_mark: Handover finished' : ':hourglass_flowing_sand: Handover in progress';
  return {
    text: fallbackText(`Handover ${input.teamName}: ${input.done}/${input.total} done${failed}`),
    blocks: [
      section(
        `${state} for *${userText(input.teamName, 100)}*\n\`${bar(input.done, input.total)}\` ${input.done}/${input.total} done${failed}`,
      ),
      ...(finished ? [context('The summary is posted in the team channel.')] : []),
    ],
  };
}
