/**
 * Environment configuration (DESIGN §4). One zod schema; every problem is reported as one line naming the
 * variable and what is expected, never echoing a value (it may be a secret).
 */
import { z } from 'zod';
import { editDistanceWithin } from '../policy/suggest.js';

const port = (fallback: number) =>
  z.coerce
    .number({ error: 'expected a TCP port number' })
    .int('expected a TCP port number')
    .min(0, 'expected a port between 0 and 65535')
    .max(65535, 'expected a port between 0 and 65535')
    .default(fallback);

const url = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });
const optionalText = z.string().trim().min(1).optional();

const positiveInt = (fallback: number) =>
  z.coerce
    .number({ error: 'expected a positive whole number' })
    .int('expected a positive whole number')
    .positive('expected a positive whole number')
    .default(fallback);

const DURATION_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
/** The Genesys client's request timeout (10 s) and the fencing margin. */
const MIN_LOCK_TTL_MS = 12_000;

/** `500ms`, `5s`, `30m`, `2h` → milliseconds. */
const duration = z
  .string()
  .trim()
  .regex(/^\d+(ms|s|m|h)$/, 'expected a duration such as 5s, 30m or 2h')
  .transform((text) => {
    const [, amount, unit] = /^(\d+)(ms|s|m|h)$/.exec(text)!;
    return Number(amount) * DURATION_MS[unit as keyof typeof DURATION_MS];
  });

export const envSchema = z.strictObject({
  PORT: port(3000),
  SIDECAR_PORT: port(9464),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, 'expected a bot token starting with xoxb-')
    .optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, 'expected an app-level token starting with xapp-')
    .optional(),
  SLACK_API_URL: url.optional(),
  GENESYS_CLIENT_ID: optionalText,
  GENESYS_CLIENT_SECRET: optionalText,
  GENESYS_REGION: optionalText,
  GENESYS_API_URL: url.optional(),
  GENESYS_REQUESTS_PER_MINUTE: positiveInt(300),
  PAYROLL_WEBHOOK_URL: url.optional(),
  WEBHOOK_ENDPOINT: url.optional(),
  PAYROLL_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, 'expected a Standard Webhooks secret: whsec_ followed by base64')
    .optional(),
  /** Delays between delivery attempts; past the last one an event is a dead letter. */
  PAYROLL_RETRY_SCHEDULE: z
    .string()
    .transform((text) => text.split(','))
    .pipe(z.array(duration).min(1, 'expected at least one delay'))
    .optional(),
  /** Delivered but not acknowledged for this long → warning and metric; 0s turns the check off. */
  PAYROLL_ACK_WINDOW: duration.optional(),
  /**
   * What one acquisition or renewal of a lock guarantees; a crashed process blocks an agent this long. A
   * Genesys write (10 s timeout) and its retries must fit in it.
   */
  LOCK_TTL: duration
    .refine((ms) => ms >= MIN_LOCK_TTL_MS, 'expected at least 12s (a Genesys write must fit in it)')
    .optional(),
  POLICY_FILE: z.string().min(1).default('policy/default.yaml'),
  STORE_URL: z
    .string()
    .regex(/^sqlite:.+$/, 'expected sqlite:<path> (for example sqlite:./data/agent-status.db)')
    .default('sqlite:./data/agent-status.db'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  AUDIT_LOG_FILE: optionalText,
  DATA_DIR: z.string().min(1).default('./data'),
});

type RawEnv = z.output<typeof envSchema>;

export interface Config {
  port: number;
  sidecarPort: number;
  slack: {
    /** Absent in the embedded demo, where the local Slack console stands in for Slack. */
    botToken?: string;
    /** Absent in the embedded demo (and in Socket Mode, which needs none): the demo's then. */
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
  };
  /** Absent when no Genesys credentials are set: the app then runs the embedded demo simulator. */
  genesys?: {
    clientId: string;
    clientSecret: string;
    region?: string;
    apiUrl?: string;
    requestsPerMinute: number;
  };
  payroll: {
    url?: string;
    /** Absent: the demo's (allowed in the embedded demo, or with no PAYROLL_WEBHOOK_URL). */
    secret?: string;
    /** Retry delays in ms; the worker's default schedule when absent. */
    retrySchedule?: number[];
    /** Acknowledgement window in ms; the worker's default when absent. */
    ackWindowMs?: number;
  };
  /** Lock ttl in ms; the pipeline's default when absent. */
  lockTtlMs?: number;
  policyFile: string;
  storePath: string;
  dataDir: string;
  logLevel: RawEnv['LOG_LEVEL'];
  logFormat: 'json' | 'pretty';
  auditLogFile?: string;
  demo: boolean;
}

/** Variables with our prefixes that the schema does not know: almost always a typo. */
const OWN_PREFIXES = ['SLACK_', 'GENESYS_', 'PAYROLL_'];

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

export interface LoadConfigOptions {
  isTTY?: boolean;
  /**
   * What is wrong with a `GENESYS_REGION` value, or undefined when Genesys knows it. The region table is the
   * Genesys SDK's (`genesys/region.ts`), which the wiring passes in; configuration does not import adapters.
   */
  genesysRegionProblem?: (region: string) => string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv, options: LoadConfigOptions = {}): ConfigResult {
  const known = Object.keys(envSchema.shape);
  const input: Record<string, string> = {};
  const errors: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (known.includes(name)) {
      // An empty assignment (`FOO=`) means "not set", as in most .env tooling.
      if (value.trim() !== '') input[name] = value;
    } else if (OWN_PREFIXES.some((p) => name.startsWith(p))) {
      const hint = known.find((k) => editDistanceWithin(k, name, 2) !== undefined);
      errors.push(`${name}: unknown variable${hint ? ` (did you mean ${hint}?)` : ''}`);
    }
  }
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors.push(`${issue.path.join('.')}: ${issue.message}`);
    return { ok: false, errors };
  }
  const e = parsed.data;
  const check = (problem: boolean, line: string) => {
    if (problem) errors.push(line);
  };
  check(
    Boolean(e.GENESYS_CLIENT_ID) !== Boolean(e.GENESYS_CLIENT_SECRET),
    e.GENESYS_CLIENT_ID
      ? 'GENESYS_CLIENT_SECRET: required when GENESYS_CLIENT_ID is set'
      : 'GENESYS_CLIENT_ID: required when GENESYS_CLIENT_SECRET is set',
  );
  check(
    Boolean(e.GENESYS_CLIENT_ID) && !e.GENESYS_REGION && !e.GENESYS_API_URL,
    'GENESYS_REGION: required with GENESYS_CLIENT_ID (a domain such as mypurecloud.ie or a region such as eu-west-1)',
  );
  const regionProblem = e.GENESYS_REGION === undefined ? undefined : options.genesysRegionProblem?.(e.GENESYS_REGION);
  check(regionProblem !== undefined, `GENESYS_REGION: ${regionProblem}`);
  check(
    Boolean(e.SLACK_BOT_TOKEN) && !e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN,
    'SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)',
  );
  check(
    Boolean(e.SLACK_APP_TOKEN) && !e.SLACK_BOT_TOKEN,
    'SLACK_BOT_TOKEN: required with SLACK_APP_TOKEN (Socket Mode)',
  );
  check(
    Boolean(e.PAYROLL_WEBHOOK_URL && e.WEBHOOK_ENDPOINT && e.PAYROLL_WEBHOOK_URL !== e.WEBHOOK_ENDPOINT),
    'WEBHOOK_ENDPOINT: contradicts PAYROLL_WEBHOOK_URL (it is an alias; set only one)',
  );
  const payrollUrl = e.PAYROLL_WEBHOOK_URL ?? e.WEBHOOK_ENDPOINT;
  const demo = !e.GENESYS_CLIENT_ID;
  check(
    Boolean(payrollUrl) && !e.PAYROLL_WEBHOOK_SECRET && !demo,
    'PAYROLL_WEBHOOK_SECRET: required with PAYROLL_WEBHOOK_URL (whsec_ followed by base64)',
  );
  if (errors.length > 0) return { ok: false, errors };

  return {
    ok: true,
    config: {
      port: e.PORT,
      sidecarPort: e.SIDECAR_PORT,
      slack: {
        botToken: e.SLACK_BOT_TOKEN,
        signingSecret: e.SLACK_SIGNING_SECRET,
        appToken: e.SLACK_APP_TOKEN,
        apiUrl: e.SLACK_API_URL,
      },
      genesys: e.GENESYS_CLIENT_ID
        ? {
            clientId: e.GENESYS_CLIENT_ID,
            clientSecret: e.GENESYS_CLIENT_SECRET!,
            region: e.GENESYS_REGION,
            apiUrl: e.GENESYS_API_URL,
            requestsPerMinute: e.GENESYS_REQUESTS_PER_MINUTE,
          }
        : undefined,
      payroll: {
        url: payrollUrl,
        secret: e.PAYROLL_WEBHOOK_SECRET,
        retrySchedule: e.PAYROLL_RETRY_SCHEDULE,
        ackWindowMs: e.PAYROLL_ACK_WINDOW,
      },
      lockTtlMs: e.LOCK_TTL,
      policyFile: e.POLICY_FILE,
      storePath: e.STORE_URL.slice('sqlite:'.length),
      dataDir: e.DATA_DIR,
      logLevel: e.LOG_LEVEL,
      logFormat: e.LOG_FORMAT ?? (options.isTTY ? 'pretty' : 'json'),
      auditLogFile: e.AUDIT_LOG_FILE,
      demo,
    },
  };
}
