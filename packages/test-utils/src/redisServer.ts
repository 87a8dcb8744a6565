import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { tmpdir } from "node:os";

/** A `redis-server` process on an ephemeral port; dispose it with `await using`. */
export interface RedisServer extends AsyncDisposable {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** The running process (a new one after `restart()`). */
  readonly process: ChildProcess | undefined;
  /** Everything the current process printed. */
  output(): string;
  /** Stops the process and waits for it to exit. SIGKILL (a crash) by default. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts again on the same port (after `stop()`), resolving once it accepts connections. */
  start(): Promise<void>;
}

const READY = /Ready to accept connections/;

/** The redis-server binary: `$REDIS_SERVER`, else `redis-server` on the PATH; undefined when there is none. */
export function findRedisServer(): string | undefined {
  const candidate = process.env.REDIS_SERVER || "redis-server";
  const probe = spawnSync(candidate, ["--version"], { encoding: "utf8" });
  return probe.status === 0 && /Redis server/.test(probe.stdout) ? candidate : undefined;
}

/**
 * For test files that need redis-server: true when it is installed. When it is not,
 * under CI (`CI` set and not "false") it throws, so the test run FAILS rather than
 * skipping silently; elsewhere it prints a loud warning and returns false, and the
 * caller skips (`describe.skipIf(!hasRedis)`).
 */
export function requireRedisServer(what: string): boolean {
  if (findRedisServer() !== undefined) return true;
  const hint = "install it with `bash scripts/install-test-deps.sh` (Debian: apt-get install redis-server) or set REDIS_SERVER";
  const ci = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false";
  if (ci) throw new Error(`${what}: redis-server is missing and CI is set; ${hint}.`);
  console.warn(`\n${"!".repeat(78)}\n!! SKIPPING ${what}: redis-server not found; ${hint}.\n${"!".repeat(78)}\n`);
  return false;
}

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("could not read the port back");
  return address.port;
}

/**
 * Starts `redis-server --port <free> --save "" --appendonly no` bound to 127.0.0.1
 * and waits until it accepts connections. Nothing is written to disk.
 */
export async function startRedisServer(options: { port?: number; timeoutMs?: number } = {}): Promise<RedisServer> {
  const binary = findRedisServer();
  if (binary === undefined) throw new Error("redis-server not found (install it with `bash scripts/install-test-deps.sh`, or set REDIS_SERVER).");
  const timeoutMs = options.timeoutMs ?? 10_000;
  let port = options.port ?? (await freePort());
  let child: ChildProcess | undefined;
  let output = "";
  let exited: Promise<void> = Promise.resolve();

  const launch = async (): Promise<void> => {
    output = "";
    const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", tmpdir()];
    const proc = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    exited = new Promise((resolve) => proc.once("exit", () => resolve()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (READY.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout?.on("data", onData);
      proc.stderr?.on("data", onData);
      proc.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`));
      });
    });
  };

  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (err) {
      // Another process may have taken the port between freePort() and the bind.
      if (options.port !== undefined || attempt >= 3 || !/already in use/i.test(output)) throw err;
      port = await freePort();
    }
  }

  const stop = async (signal: NodeJS.Signals = "SIGKILL"): Promise<void> => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    get port() {
      return port;
    },
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    get process() {
      return child;
    },
    output: () => output,
    stop,
    start: launch,
    async [Symbol.asyncDispose]() {
      await stop("SIGKILL");
    },
  };
}
