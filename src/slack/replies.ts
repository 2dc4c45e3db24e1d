/**
 * Answering the person who asked, after the ack: through `response_url` or by direct message, never throwing at
 * them (failures are logged), and telling them when something unexpected went wrong.
 */
import type { RespondFn, webApi } from '@slack/bolt';
import type { SlackDeps } from './deps.js';
import { respondWithRetries } from './respond-retry.js';
import { type SlackMessage, section, truncateMrkdwn } from './views/blocks.js';

/** Sends one message to the person who asked; never throws (failures are logged). */
export type Reply = (message: SlackMessage) => Promise<void>;

/** A one-section message from mrkdwn the caller built from safe parts. */
export function notice(mrkdwn: string): SlackMessage {
  return { text: truncateMrkdwn(mrkdwn, 300), blocks: [section(mrkdwn)] };
}

/** Answers through `response_url` (ephemeral; `replaceOriginal` swaps the message the button sat in). */
export function replyVia(
  deps: Pick<SlackDeps, 'logger'>,
  respond: RespondFn,
  options: { replaceOriginal?: boolean } = {},
): Reply {
  return async (message) => {
    try {
      await respondWithRetries(() =>
        respond({
          response_type: 'ephemeral',
          replace_original: options.replaceOriginal ?? false,
          text: message.text,
          blocks: message.blocks,
        }),
      );
    } catch (err) {
      deps.logger.warn({ err }, 'could not answer through response_url');
    }
  };
}

/** Answers in the app's direct messages with the user: surfaces without a `response_url` (the Home tab). */
export function replyByDirectMessage(
  deps: Pick<SlackDeps, 'logger'>,
  client: webApi.WebClient,
  slackUserId: string,
): Reply {
  return async (message) => {
    try {
      await client.chat.postMessage({ channel: slackUserId, text: message.text, blocks: message.blocks });
    } catch (err) {
      deps.logger.warn({ err, user: slackUserId }, 'could not send a direct message');
    }
  };
}

/** A `respond` for surfaces without a `response_url` (the Home tab): a direct message; throws like `respond` on failure. */
export function respondByDirectMessage(client: webApi.WebClient, slackUserId: string): RespondFn {
  return async (message) => {
    const args = typeof message === 'string' ? { text: message } : message;
    const blocks = 'blocks' in args ? args.blocks : undefined;
    await client.chat.postMessage({ channel: slackUserId, text: args.text ?? '', ...(blocks ? { blocks } : {}) });
    return new Response(null, { status: 200 });
  };
}

/** Runs a listener's work after the ack; an unexpected error is logged and the person is told, never left waiting. */
export async function answering(
  deps: Pick<SlackDeps, 'logger'>,
  reply: Reply,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (err) {
    deps.logger.error({ err }, 'Slack request failed after the ack');
    await reply(
      notice(
        ':warning: Something went wrong on our side while answering. Check with `/agent-status show` before trying again.',
      ),
    );
  }
}
