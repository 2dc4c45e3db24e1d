import type { webApi } from '@slack/bolt';
import type { Reply } from '../replies.js';

/** One slash command, as the handlers that run after its ack see it. */
export interface CommandContext {
  /** The Slack user who typed the command. */
  userId: string;
  /** Unique per command invocation: the base of its request ids, so a retry maps to the same request. */
  triggerId: string;
  client: webApi.WebClient;
  /** Answers through the command's `response_url`. */
  reply: Reply;
  /** The command's `response_url`, for an answer that comes after the request answered. */
  responseUrl: string;
}
