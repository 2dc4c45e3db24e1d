/**
 * A modal with a message and no inputs: the placeholder opened at once while the real modal loads (a `trigger_id`
 * is only good for 3 seconds), and what replaces it when the real one cannot be shown (who to ask, what to fix).
 */
import { type ModalView, plainText, SLACK_LIMITS, section } from './blocks.js';

export const NOTICE_MODAL_CALLBACK_ID = 'agent_status_notice';

/** `mrkdwn` is built by the caller from escaped parts. */
export function noticeModal(title: string, mrkdwn: string): ModalView {
  return {
    type: 'modal',
    callback_id: NOTICE_MODAL_CALLBACK_ID,
    title: plainText(title, SLACK_LIMITS.viewTitle),
    close: plainText('Close', SLACK_LIMITS.viewTitle),
    blocks: [section(mrkdwn)],
  };
}

export function loadingModal(title: string): ModalView {
  return noticeModal(title, ':hourglass_flowing_sand: Loading…');
}
