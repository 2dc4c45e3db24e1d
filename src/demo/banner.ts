/**
 * The start-up banner of the embedded demo: where everything listens, who the demo users are, what to try.
 * Pure: built from the demo's addresses, the policy and the simulator's people.
 */
import type { Policy } from '../policy/schema.js';
import type { DemoInfo } from './info.js';
import { demoSlackId } from './users.js';

export interface DemoBannerInput {
  info: DemoInfo;
  policy: Policy;
  /** Everyone in the Genesys (simulator) org. */
  people: readonly { name: string; email: string }[];
  /** Shown only when it is the public demo secret. */
  demoSigningSecret?: string;
}

const WIDTH = 110;
const INDENT = '             ';

export function demoBanner(input: DemoBannerInput): string {
  const { info, policy } = input;
  const byEmail = new Map(input.people.map((p) => [p.email.toLowerCase(), p]));
  const who = (ref: string) => {
    if (!ref.includes('@')) return ref;
    const person = byEmail.get(ref.toLowerCase());
    const handle = ref.split('@')[0]!;
    return `${person?.name ?? handle} (${handle}, ${demoSlackId(ref)})`;
  };
  const lines = ['agent-status embedded demo: no Slack workspace or Genesys org needed', ''];
  const url = (label: string, value: string | undefined, note: string) => {
    if (value) lines.push(`  ${label.padEnd(18)} ${value}${note ? `   ${note}` : ''}`);
  };
  const secret = input.demoSigningSecret ? `(signing secret "${input.demoSigningSecret}")` : '';
  url('Slack endpoint', info.slackUrl, secret);
  url('Slack stand-in', info.slackStandInUrl, 'what the app sent to Slack: /__standin/calls');
  const sample = input.people[0]?.email ?? 'alice@example.com';
  url('Genesys simulator', info.simulatorUrl, `an agent's state: /__sim/agents/${sample}`);
  url('Payroll receiver', info.payrollReceiverUrl, info.payrollLogFile ? `log: ${info.payrollLogFile}` : '');
  url('Receiver control', info.payrollReceiverControlUrl, 'PUT …/behaviour {"failWith":410} or {} · GET …/deliveries');
  url('Metrics, health', `${info.sidecarUrl}/metrics`, '/healthz  /readyz');

  lines.push('', 'Demo users (--as takes the e-mail, the part before @, the name or the Slack id):');
  const named = new Set<string>();
  for (const team of Object.values(policy.teams)) {
    for (const ref of [...team.supervisors, ...team.members]) named.add(ref.toLowerCase());
    const rules = [
      ...Object.entries(team.caps).map(([status, cap]) => `${status} ≤ ${cap}`),
      ...(team.onQueueFloor > 0 ? [`on-queue ≥ ${team.onQueueFloor}`] : []),
    ];
    const supervisors = team.supervisors.length
      ? `supervisor ${team.supervisors.map(who).join(', ')}`
      : 'no supervisor';
    lines.push(`  ${team.name.padEnd(10)} ${supervisors}${rules.length ? ` · limits: ${rules.join(', ')}` : ''}`);
    lines.push(...wrap(team.members.map(who), `  ${INDENT}`));
  }
  if (policy.admins.length) {
    for (const ref of policy.admins) named.add(ref.toLowerCase());
    lines.push(`  ${'Admins'.padEnd(10)} ${policy.admins.map(who).join(', ')}`);
  }
  const others = input.people
    .filter((p) => !named.has(p.email.toLowerCase()))
    .map((p) => p.email.split('@')[0]!)
    .sort();
  if (others.length > 0) {
    const range = others.length > 3 ? `${others[0]} … ${others.at(-1)}` : others.join(', ');
    lines.push(`  ${'No team'.padEnd(10)} ${others.length} agent${others.length === 1 ? '' : 's'}: ${range}`);
  }

  const example = policy.teams[Object.keys(policy.teams)[0] ?? '']?.members[0]?.split('@')[0] ?? 'alice';
  const [teamId, team] = Object.entries(policy.teams)[0] ?? [];
  const supervisor = team?.supervisors[0]?.split('@')[0];
  lines.push(
    '',
    'Try it in another terminal (the local Slack console):',
    `  npm run slack -- "/agent-status help" --as ${example}`,
    `  npm run slack -- "/agent-status break coffee" --as ${example}`,
    `  npm run slack -- --click "<button label>"          presses a button of the last answer`,
    `  npm run slack -- --submit field=value …            submits the last modal`,
  );
  if (teamId && supervisor) {
    lines.push(
      `  npm run slack -- "/agent-status show ${teamId}" --as ${supervisor}`,
      `  npm run slack -- "/agent-status handover ${teamId}" --as ${supervisor}`,
    );
  }
  lines.push(
    '  npm run slack                                      interactive console',
    '  npm run payroll -- list                            the payroll outbox',
    '  npm run payroll -- dead                            dead letters (replay --all-dead sends them again)',
  );
  return lines.join('\n');
}

function wrap(items: readonly string[], indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    const next = line ? `${line}, ${item}` : item;
    if (line && indent.length + next.length > WIDTH) {
      lines.push(`${indent}${line},`);
      line = item;
    } else {
      line = next;
    }
  }
  if (line) lines.push(`${indent}${line}`);
  return lines;
}
