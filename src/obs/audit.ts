import pino, { type Logger } from 'pino';
import type { AuditLog } from '../pipeline/ports.js';

/** JSON lines to `file` (appended, created with its directory) or to stdout. */
export function createAuditLog(file?: string): AuditLog {
  // Synchronous: an audit line is written before the decision is answered, so a crash cannot lose it.
  const destination = pino.destination({ dest: file ?? 1, mkdir: true, append: true, sync: true });
  const logger: Logger = pino({ base: { log: 'audit' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
  return {
    record(decision) {
      logger.info(decision, 'transition decision');
    },
    flush: () =>
      new Promise((resolve) => {
        logger.flush(() => resolve());
      }),
  };
}
