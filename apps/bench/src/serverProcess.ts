/** Starts a bench server as its own Node process, pinned to a core, with a raised fd limit. */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BENCH_DIR, HAS_TASKSET } from "./loadgen.js";

export const SERVERS = ["webshocket", "webshocket-ws", "uws-raw", "ws-loop", "rpc-websockets", "socketio-default", "socketio-uws"] as const;
export type ServerName = (typeof SERVERS)[number];

/** File descriptors wanted per process: 10,000 connections and some room. */
export const FD_LIMIT = 65536;

export interface ServerProcess extends AsyncDisposable {
  readonly name: ServerName;
  readonly pid: number;
  readonly port: number;
  /** Resident set size in bytes (VmRSS). */
  rss(): number;
  /** Full GC in the server (SIGUSR2 + --expose-gc); resolves with its JS heap figures after it. */
  gc(): Promise<HeapInfo>;
  stop(): Promise<void>;
  output(): string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function readRss(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

/** process.memoryUsage() in the server, right after a full GC. */
export interface HeapInfo {
  heapUsed: number;
  external: number;
}

export interface StartOptions {
  /** Core to pin to (taskset -c). */
  core?: number;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  /** The server script to run instead of this checkout's dist/servers/NAME.js (another build, for `pair`). */
  script?: string;
  /** Extra environment variables for the server. */
  env?: Record<string, string>;
}

/**
 * `sh -c 'ulimit -n 65536; exec taskset -c CORE node --expose-gc dist/servers/NAME.js --port 0'`:
 * exec keeps the pid, so the pid we hold is the server's.
 */
export async function startServer(name: ServerName, o: StartOptions = {}): Promise<ServerProcess> {
  const script = o.script ?? join(BENCH_DIR, "dist", "servers", `${name}.js`);
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const node = [process.execPath, "--expose-gc", ...(o.nodeFlags ?? []), script, "--port", "0"].map(quote).join(" ");
  const pin = o.core !== undefined && HAS_TASKSET ? `taskset -c ${o.core} ` : "";
  const cmd = `ulimit -n ${FD_LIMIT} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec ${pin}${node}`;
  const child: ChildProcess = spawn("sh", ["-c", cmd], { stdio: ["ignore", "pipe", "pipe"], cwd: BENCH_DIR, env: { ...process.env, ...o.env } });
  let out = "";
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 20 s:\n${out}`)), 20_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening:\n${out}`));
    });
  });
  const pid = child.pid as number;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const t = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(t);
  };
  return {
    name,
    pid,
    port,
    rss: () => readRss(pid),
    gc: async () => {
      const from = out.length;
      child.kill("SIGUSR2");
      for (let waited = 0; waited < 3000; waited += 20) {
        await sleep(20);
        const m = /heap used=(\d+) external=(\d+)/.exec(out.slice(from));
        if (m) return { heapUsed: Number(m[1]), external: Number(m[2]) };
      }
      throw new Error(`${name} did not answer SIGUSR2`);
    },
    stop,
    output: () => out,
    [Symbol.asyncDispose]: stop,
  };
}
