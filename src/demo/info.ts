/**
 * Where the running demo's parts listen. The app writes it to `${DATA_DIR}/demo.json` once started, so the
 * local Slack console (another process) finds the Slack endpoint and the stand-in even on ephemeral ports.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

export const demoInfoSchema = z.object({
  /** The app's `POST /slack/events`. */
  slackUrl: z.url(),
  /** The Slack Web API stand-in's base URL (no trailing slash); absent when the app talks to real Slack. */
  slackStandInUrl: z.url().optional(),
  /** The Genesys simulator's base URL; its control API is under `/__sim/`. */
  simulatorUrl: z.url().optional(),
  /** Where the outbox worker delivers payroll events. */
  payrollReceiverUrl: z.url().optional(),
  /** The local receiver's control API: `PUT …/behaviour` makes it refuse deliveries, `GET …/deliveries`. */
  payrollReceiverControlUrl: z.url().optional(),
  payrollLogFile: z.string().optional(),
  sidecarUrl: z.url(),
  pid: z.number().int(),
  startedAt: z.string(),
});
export type DemoInfo = z.infer<typeof demoInfoSchema>;

export const DEMO_INFO_FILE = 'demo.json';

export function demoInfoPath(dataDir: string): string {
  return join(dataDir, DEMO_INFO_FILE);
}

export function writeDemoInfo(dataDir: string, info: DemoInfo): string {
  const path = demoInfoPath(dataDir);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(info, null, 2)}\n`);
  return path;
}

/** The file of a running demo, or undefined when there is none (or it is not one of ours). */
export function readDemoInfo(dataDir: string): DemoInfo | undefined {
  let text: string;
  try {
    text = readFileSync(demoInfoPath(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = demoInfoSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function removeDemoInfo(dataDir: string): void {
  rmSync(demoInfoPath(dataDir), { force: true });
}

/**
 * Fixed ports of the demo's local parts, next to the Slack port, so a console can find them without the
 * file: Slack stand-in PORT+1, Genesys simulator PORT+2, payroll receiver PORT+3. PORT 0 (tests) → 0 each.
 */
export function demoPorts(port: number): { slackStandIn: number; simulator: number; payrollReceiver: number } {
  const next = (offset: number) => (port === 0 || port + offset > 65_535 ? 0 : port + offset);
  return { slackStandIn: next(1), simulator: next(2), payrollReceiver: next(3) };
}
