/**
 * What the Slack adapter needs from the rest of the app: the pipeline to change statuses, its read side to show
 * them, and narrow ports for the little state that belongs to Slack alone. Nothing here reads the store or
 * Genesys directly.
 */
import type { Logger } from 'pino';
import type { OutboxStore } from '../pipeline/ports.js';
import type { PipelineQueries } from '../pipeline/queries.js';
import type { TransitionPipeline } from '../pipeline/transition-pipeline.js';
import type { Policy } from '../policy/schema.js';
import type { SlackIdentity } from './identity.js';
import type { OpenHomes } from './open-homes.js';

/**
 * State only Slack's own surfaces need (conflict tokens, what a modal showed), kept where every replica sees it.
 */
export interface SlackUiState {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  /** True for the first caller only, across every process sharing the store; the claim lasts `ttlMs`. */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

/** Payroll webhook administration: counts, dead events, replays. */
export type PayrollAdmin = Pick<OutboxStore, 'counts' | 'list' | 'replay' | 'replayAllDead'>;

export interface SlackDeps {
  policy: Policy;
  logger: Logger;
  identity: SlackIdentity;
  /** Every change goes through it. */
  pipeline: TransitionPipeline;
  /** Every read behind a board, a picker, a status or a history. */
  queries: PipelineQueries;
  payroll: PayrollAdmin;
  uiState: SlackUiState;
  /** Whose Home tab has been published, so a change seen in Genesys can refresh the tabs that show it. */
  openHomes: OpenHomes;
  /** Runs work that continues after the 3-second ack; shutdown waits for it. */
  background(task: () => Promise<void>): void;
}
