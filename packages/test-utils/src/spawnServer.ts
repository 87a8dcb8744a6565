import { spawn, type ChildProcess } from "node:child_process";

/** A server process started for a test; dispose it with `await using`. */
export interface SpawnedServer extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Everything the process printed so far (stdout + stderr). */
  readonly output: () => string;
}

/**
 * Starts `node <script>` (or `<script> ...args` when `args` is given) with `env`, waits
 * for the line `listening on ws(s)://HOST:PORT` and reads the port back from it.
 * Kills the process (and waits for it) on dispose.
 */
export async function spawnServer(
  script: string,
  env: Record<string, string> = {},
  timeoutMs = 15_000,
  args?: readonly string[],
): Promise<SpawnedServer> {
  const [command, argv] = args === undefined ? [process.execPath, [script]] : [script, [...args]];
  const child = spawn(command, argv, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /listening on (wss?:\/\/\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    process: child,
    output: () => output,
    async [Symbol.asyncDispose]() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
