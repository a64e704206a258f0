/**
 * The app's build of the `debug` package (vite.config.ts aliases it here): loggers that write
 * nothing, whatever `localStorage.debug` says. fhirclient logs through `debug`, and its lines
 * include the token response and the PKCE verifier; a support hint to "turn on debug logging" on
 * the app's origin would put them in the browser's console.
 */
interface Logger {
  (...args: unknown[]): void;
  enabled: boolean;
  namespace: string;
  extend(namespace: string): Logger;
}

function createDebug(namespace: string): Logger {
  const log = (() => {}) as Logger;
  log.enabled = false;
  log.namespace = namespace;
  log.extend = (child) => createDebug(`${namespace}:${child}`);
  return log;
}

// CommonJS, as the package it stands for: fhirclient calls require("debug")(...) directly.
export = createDebug;
