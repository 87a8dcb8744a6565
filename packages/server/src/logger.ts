/** Where the server writes what it has to say. Any console-like object fits. */
export interface Logger {
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
}

const noop = (): void => {};

/** The default logger: warnings and errors to the console, nothing else. */
export const defaultLogger: Logger = {
  debug: noop,
  info: noop,
  warn: (m, ...a) => console.warn(`[webshocket] ${m}`, ...a),
  error: (m, ...a) => console.error(`[webshocket] ${m}`, ...a),
};

/** A logger that says nothing. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
