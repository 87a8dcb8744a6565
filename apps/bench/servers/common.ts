/**
 * What every bench server shares: how it announces its port, the fan-out payload,
 * and process handling (SIGTERM exits cleanly so `--cpu-prof` can write its profile;
 * SIGUSR2 runs a full GC when started with --expose-gc, before RSS is read, and
 * prints the heap figures as `heap used=… external=…`).
 */

/** The 64-byte message every fan-out publishes; the load generator looks for its prefix. */
export const FANOUT_MARKER = "FANOUT:";
export const FANOUT_PAYLOAD = (FANOUT_MARKER + "x".repeat(64)).slice(0, 64);

/** The port to listen on: `--port N` or PORT, default 0 (any free port). */
export function portFromArgs(): number {
  const i = process.argv.indexOf("--port");
  const raw = i !== -1 ? process.argv[i + 1] : process.env.PORT;
  const port = raw === undefined ? 0 : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`bad port ${String(raw)}`);
  return port;
}

/** Prints the line the harness waits for. */
export function announce(name: string, port: number, extra = ""): void {
  process.stdout.write(`${name} listening on ws://127.0.0.1:${port}${extra ? ` ${extra}` : ""}\n`);
}

/** Exits cleanly on SIGTERM/SIGINT (after `close`, bounded); SIGUSR2 runs a full GC. */
export function installProcessHandlers(close: () => unknown = () => undefined): void {
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => process.exit(0), 1000);
    timer.unref();
    Promise.resolve()
      .then(close)
      .catch(() => undefined)
      .finally(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.on("SIGUSR2", () => {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    process.stdout.write(`heap used=${m.heapUsed} external=${m.external} arrayBuffers=${m.arrayBuffers} rss=${m.rss}\n`);
  });
}

/** True when this module is the process's entry script. */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  return moduleUrl === new URL(`file://${entry.startsWith("/") ? "" : "/"}${entry}`).href;
}

/** Parses a control message "!verb arg…" (ws-loop and uws-raw). */
export function parseControl(text: string): { verb: string; args: string[] } | undefined {
  if (!text.startsWith("!")) return undefined;
  const [verb = "", ...args] = text.slice(1).trim().split(/\s+/);
  return { verb, args };
}
