import type { Logger } from "./logger.js";
import type { ShutdownSignal } from "./options.js";

/**
 * On the first of `signals`: `close()`, then exit with code 0 (1 when close fails). A second signal exits at
 * once with code 1. Returns a function that removes the listeners.
 */
export function onShutdownSignals(signals: readonly ShutdownSignal[], logger: Logger, close: () => Promise<void>): () => void {
  let closing = false;
  const onSignal = (signal: ShutdownSignal): void => {
    if (closing) {
      logger.warn(`WebSocketServer: ${signal} again during shutdown; exiting now.`);
      process.exit(1);
    }
    closing = true;
    logger.info(`WebSocketServer: ${signal} received; shutting down gracefully.`);
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error("WebSocketServer: shutdown failed", err);
        process.exit(1);
      },
    );
  };
  for (const s of signals) process.on(s, onSignal);
  return () => {
    // Kept while closing, so a second signal still forces the exit.
    if (!closing) for (const s of signals) process.off(s, onSignal);
  };
}
