import type { Server } from 'node:http';
import { StartupError } from '../domain/startup-error.js';

/** Who listens, for messages: `component` in words and the variable that moves it. */
export interface Listener {
  component: string;
  variable: string;
}

/**
 * `server.listen` that fails with a StartupError naming the component and the variable to change when the
 * port cannot be had (in use, or privileged), instead of a bare `EADDRINUSE` with a stack.
 */
export function listenOn(server: Server, port: number, host: string | undefined, who: Listener): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(explainPortError(error, port, who));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * The StartupError for a failed listen (port in use or privileged), or `error` itself for anything else. For
 * servers that listen on their own (the demo stand-ins): `await start().catch((e) => { throw explainPortError(e,
 * port, who) })`.
 */
export function explainPortError(error: unknown, port: number, who: Listener): unknown {
  switch ((error as NodeJS.ErrnoException | null)?.code) {
    case 'EADDRINUSE':
      return new StartupError(
        `${who.component}: port ${port} is already in use by another process; set ${who.variable} to a free port`,
      );
    case 'EACCES':
      return new StartupError(
        `${who.component}: not allowed to listen on port ${port}; set ${who.variable} to a port above 1023`,
      );
    default:
      return error;
  }
}
