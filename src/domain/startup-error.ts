/**
 * A start-up failure the operator fixes by changing the configuration (a port in use, a value Genesys does not
 * know). Its message names the component and the variable to change; no stack trace is shown for it.
 */
export class StartupError extends Error {
  override name = 'StartupError';
}
