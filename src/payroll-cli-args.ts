import { parseArgs } from 'node:util';
import type { OutboxEntry } from './pipeline/ports.js';

const STATES: readonly OutboxEntry['state'][] = ['pending', 'delivered', 'dead', 'acknowledged', 'rejected'];

export type PayrollCommand =
  | { name: 'list'; state?: OutboxEntry['state'] }
  | { name: 'replay'; eventId: string }
  | { name: 'replay-all-dead' };

/** The payroll CLI's arguments; throws with a message for the user when they make no sense. */
export function parsePayrollCommand(argv: readonly string[]): PayrollCommand {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { state: { type: 'string' }, 'all-dead': { type: 'boolean' } },
  });
  const [name, ...rest] = positionals;
  const noOptions = values.state === undefined && values['all-dead'] === undefined;
  if (name === 'list' && rest.length === 0 && values['all-dead'] === undefined) {
    if (values.state === undefined) return { name: 'list' };
    const state = STATES.find((s) => s === values.state);
    if (!state) throw new Error(`unknown state "${values.state}"`);
    return { name: 'list', state };
  }
  if (name === 'dead' && rest.length === 0 && noOptions) return { name: 'list', state: 'dead' };
  if (name === 'replay' && values.state === undefined) {
    if (values['all-dead'] && rest.length === 0) return { name: 'replay-all-dead' };
    if (!values['all-dead'] && rest.length === 1) return { name: 'replay', eventId: rest[0]! };
  }
  throw new Error(name ? `cannot understand "${argv.join(' ')}"` : 'no command given');
}
