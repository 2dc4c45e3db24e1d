import pino, { type Logger } from 'pino';

/**
 * Paths pino blanks out wherever they appear in a log object. Secrets are also kept out of log calls in the
 * first place; this is the net under that rule.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  'req.headers["webhook-signature"]',
  'res.headers["set-cookie"]',
  'authorization',
  'token',
  'accessToken',
  'access_token',
  'clientSecret',
  'client_secret',
  'secret',
  'signingSecret',
  'botToken',
  'password',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.clientSecret',
  '*.secret',
];

export interface LoggerOptions {
  level: string;
  format: 'json' | 'pretty';
  /** Where JSON lines go; stdout by default. Tests pass a stream to read what was logged. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const base = { level: options.level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  if (options.format === 'pretty' && !options.destination) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } });
  }
  return pino(base, options.destination ?? pino.destination({ dest: 1, sync: false }));
}
