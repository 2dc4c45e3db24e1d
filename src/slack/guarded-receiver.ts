/**
 * The HTTP side of the Slack app, in place of Bolt's HTTPReceiver, which throws on some bodies (a `payload` of
 * JSON `null` ends the process) and accepts timestamps from the future. Every request is bounded in size,
 * signature-checked in both time directions and shape-checked (payload-schema.ts) before Bolt sees it; any
 * refusal is a 4xx with a short text body, logged once without a stack.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type App, HTTPModuleFunctions, HTTPResponseAck, type Receiver } from '@slack/bolt';
import type { Logger } from 'pino';
import { INPUT_LIMITS } from '../domain/input-limits.js';
import { boltLogger } from './bolt-logger.js';
import { isSslCheck, readSlackBody } from './payload-schema.js';
import { signatureProblem } from './request-signature.js';

export interface GuardedReceiverOptions {
  signingSecret: string;
  logger: Logger;
  endpoint: string;
  /** Binds the server to the port (the wiring decides where, and how a port in use is explained). */
  listen: (server: Server, port: number) => Promise<void>;
  /** The clock signatures are checked against; tests move it. */
  now?: () => number;
}

class Refusal {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {}
}

export class GuardedReceiver implements Receiver {
  private app: App | undefined;
  private server: Server | undefined;
  private readonly logger: Logger;

  constructor(private readonly options: GuardedReceiverOptions) {
    this.logger = options.logger.child({ component: 'slack-receiver' });
  }

  init(app: App): void {
    this.app = app;
  }

  async start(port: number): Promise<Server> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => this.failed(res, error));
    });
    await this.options.listen(server, port);
    this.server = server;
    return server;
  }

  stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    return new Promise((resolve, reject) => {
      if (!server) return resolve();
      server.close((error) => (error ? reject(error) : resolve()));
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.dispatch(req, res, await this.admit(req));
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      this.logger.warn({ status: error.status, reason: error.reason, path: req.url }, 'refused a Slack request');
      res.writeHead(error.status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      res.end(`${error.reason}\n`);
    }
  }

  /** The checked body to hand to Bolt, or a Refusal. */
  private async admit(req: IncomingMessage) {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== this.options.endpoint) throw new Refusal(404, 'not found');
    if (req.method !== 'POST') throw new Refusal(405, 'only POST is accepted');
    const raw = (await readBounded(req, INPUT_LIMITS.slackRequestBytes)).toString('utf8');
    const contentType = req.headers['content-type'];
    if (isSslCheck(contentType, raw)) return { kind: 'ssl_check' as const };
    const problem = signatureProblem(
      this.options.signingSecret,
      { timestamp: header(req, 'x-slack-request-timestamp'), signature: header(req, 'x-slack-signature'), body: raw },
      (this.options.now ?? Date.now)(),
    );
    if (problem) throw new Refusal(401, `signature check failed: ${problem}`);
    const read = readSlackBody(contentType, raw);
    if (!read.ok) throw new Refusal(read.status, read.message);
    return { ...read.body, raw };
  }

  private async dispatch(
    req: IncomingMessage,
    res: ServerResponse,
    admitted: Awaited<ReturnType<GuardedReceiver['admit']>>,
  ): Promise<void> {
    switch (admitted.kind) {
      case 'ssl_check':
        res.writeHead(200).end();
        return;
      case 'url_verification':
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ challenge: admitted.challenge }));
        return;
    }
    const ack = new HTTPResponseAck({
      logger: boltLogger(this.logger),
      processBeforeResponse: false,
      httpRequest: Object.assign(req, { rawBody: Buffer.from(admitted.raw) }),
      httpRequestBody: admitted.body,
      httpResponse: res,
    });
    if (!this.app) throw new Error('the Slack receiver started before Bolt initialised it');
    await this.app.processEvent({
      body: admitted.body,
      ack: ack.bind(),
      retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req),
      retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req),
      customProperties: {},
    });
  }

  /** A fault of this app, not of the request: logged with its stack once, answered 500 if nothing was sent. */
  private failed(res: ServerResponse, error: unknown): void {
    this.logger.error({ err: error }, 'Slack request failed');
    if (res.headersSent) return;
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('internal error\n');
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The whole body, or a 413 Refusal as soon as it passes `limit` bytes (by its header or as it arrives). */
function readBounded(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = new Refusal(413, `request body larger than ${limit / 1024} KB`);
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.reject(tooLarge);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => reject(new Refusal(400, 'request aborted')));
  });
}
