import { createServer, type Server } from 'node:http';
import express, { type Router } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Registry } from 'prom-client';
import { listenOn } from './listen.js';

/** A dependency `/readyz` reports on; `check` rejects with a message an operator can act on. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface SidecarOptions {
  registry: Registry;
  checks: ReadinessCheck[];
  logger: Logger;
  /** Extra routes, e.g. the payroll acknowledgement route. */
  routers?: Router[];
  /** Per-check time budget; a check slower than this counts as down. */
  checkTimeoutMs?: number;
  /** Shown on `/readyz` next to the checks without deciding readiness (the app works without them). */
  reports?: Record<string, () => unknown>;
}

type CheckState = { status: 'up' } | { status: 'down'; error: string };

export function createSidecar(options: SidecarOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(
    pinoHttp({
      logger: options.logger.child({ component: 'sidecar' }),
      // Scrapes and probes every few seconds would drown the log.
      autoLogging: { ignore: (req) => ['/metrics', '/healthz', '/readyz'].includes(req.url ?? '') },
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });

  app.get('/readyz', async (_req, res) => {
    const timeoutMs = options.checkTimeoutMs ?? 5000;
    const entries = await Promise.all(
      options.checks.map(async (dep): Promise<[string, CheckState]> => {
        try {
          await withTimeout(dep.check(), timeoutMs, `no answer within ${timeoutMs} ms`);
          return [dep.name, { status: 'up' }];
        } catch (error) {
          return [dep.name, { status: 'down', error: error instanceof Error ? error.message : String(error) }];
        }
      }),
    );
    const ready = entries.every(([, state]) => state.status === 'up');
    const reports = Object.fromEntries(Object.entries(options.reports ?? {}).map(([name, report]) => [name, report()]));
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(entries), ...reports });
  });

  app.get('/metrics', async (_req, res) => {
    res.type(options.registry.contentType).send(await options.registry.metrics());
  });

  for (const router of options.routers ?? []) app.use(router);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use(jsonErrors(options.logger.child({ component: 'sidecar' })));
  return app;
}

/**
 * Every error as a small JSON body without a stack or server paths (Express's default is an HTML page with
 * both). Errors a client caused (a body too large or malformed) keep their 4xx; anything else is a 500,
 * logged once with its stack here and nowhere else.
 */
function jsonErrors(logger: Logger): express.ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    const status = clientErrorStatus(error);
    if (status === undefined) logger.error({ err: error }, 'sidecar request failed');
    if (res.headersSent) return;
    res
      .status(status ?? 500)
      .json({ error: status === undefined ? 'internal error' : clientErrorMessage(error, status) });
  };
}

function clientErrorStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function clientErrorMessage(error: unknown, status: number): string {
  const limit = (error as { limit?: unknown }).limit;
  if (status === 413)
    return typeof limit === 'number' ? `request body larger than ${limit} bytes` : 'request body too large';
  if (status === 415) return 'unsupported content type';
  return 'malformed request';
}

export async function listen(app: express.Express, port: number, host?: string): Promise<Server> {
  const server = createServer(app);
  await listenOn(server, port, host ?? '0.0.0.0', { component: 'sidecar', variable: 'SIDECAR_PORT' });
  return server;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
