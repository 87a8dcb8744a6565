/** Runs the C load generator (loadgen/loadgen) and parses its JSON result. */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { specText, type Endpoint, type Spec } from "./specs.js";

/** apps/bench, from src/ or dist/src/. */
export const BENCH_DIR = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "loadgen", "Makefile"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot find apps/bench");
    dir = up;
  }
  return dir;
})();
export const LOADGEN = join(BENCH_DIR, "loadgen", "loadgen");

/** Builds the load generator with make (a no-op when up to date). */
export function buildLoadgen(): void {
  const r = spawnSync("make", ["-s", "-C", join(BENCH_DIR, "loadgen")], { stdio: "inherit" });
  if (r.status !== 0) throw new Error("building the load generator failed (is gcc installed?)");
}

/** taskset when available: pins a command to one core. */
export const HAS_TASKSET = spawnSync("taskset", ["-c", "0", "true"]).status === 0;
export function pinned(core: number | undefined, argv: string[]): string[] {
  return core === undefined || !HAS_TASKSET ? argv : ["taskset", "-c", String(core), ...argv];
}

export interface LoadgenOptions {
  mode: "rpc" | "fanout" | "stream" | "idle";
  port: number;
  endpoint: Endpoint;
  spec: Spec;
  conns?: number;
  window?: number;
  warmup?: number;
  duration?: number;
  busy?: boolean;
  serverPid?: number;
  expect?: number;
  rounds?: number;
  warmupRounds?: number;
  timeout?: number;
  dump?: number;
  /** Core to pin the load generator to. */
  core?: number;
}

/** The load generator's JSON result (fields depend on the mode). */
export interface LoadgenResult {
  mode: string;
  conns: number;
  ready: number;
  failed: number;
  connect_s: number;
  // rpc
  responses?: number;
  seconds?: number;
  rate?: number;
  p50_us?: number;
  p90_us?: number;
  p99_us?: number;
  max_us?: number;
  server_cpu?: number;
  loadgen_cpu?: number;
  /** The user-space part of loadgen_cpu (the rest is the kernel: system calls, loopback TCP). */
  loadgen_user_cpu?: number;
  /** Share of the window the server's / load generator's threads were runnable but waiting for a CPU (taken by others). */
  server_wait?: number;
  loadgen_wait?: number;
  // fanout / stream
  messages?: number;
  rounds_done?: number;
  round_seconds?: number[];
  round_first_ms?: number[];
  round_server_cpu_s?: number[];
  round_loadgen_cpu_s?: number[];
  round_server_wait_s?: number[];
  round_loadgen_wait_s?: number[];
  bad_deliveries?: number;
  bad_end?: number;
  // all
  mismatch: number;
  unexpected: number;
  ignored: number;
  pings: number;
  closed: number;
  writes: number;
  reads: number;
  timed_out: boolean;
  error: string;
  /** Payloads printed with --dump (hex decoded). */
  dumps: Uint8Array[];
  exitCode: number;
  stderr: string;
}

let specDir: string | undefined;
let specCount = 0;
function writeSpec(spec: Spec): string {
  specDir ??= mkdtempSync(join(tmpdir(), "webshocket-bench-"));
  const path = join(specDir, `spec-${++specCount}.txt`);
  writeFileSync(path, specText(spec));
  return path;
}

function args(o: LoadgenOptions): string[] {
  const a = [o.mode, "--port", String(o.port), "--path", o.endpoint.path, "--spec", writeSpec(o.spec)];
  if (o.endpoint.protocol) a.push("--protocol", o.endpoint.protocol);
  if (o.endpoint.eio) a.push("--eio");
  const num = (flag: string, v: number | undefined): void => void (v !== undefined && a.push(flag, String(v)));
  num("--conns", o.conns);
  num("--window", o.window);
  num("--warmup", o.warmup);
  num("--duration", o.duration);
  num("--server-pid", o.serverPid);
  num("--expect", o.expect);
  num("--rounds", o.rounds);
  num("--warmup-rounds", o.warmupRounds);
  num("--timeout", o.timeout);
  num("--dump", o.dump);
  if (o.busy) a.push("--busy");
  return pinned(o.core, [LOADGEN, ...a]);
}

function parse(stdout: string, stderr: string, exitCode: number): LoadgenResult {
  const line = stdout.split("\n").find((l) => l.startsWith("{"));
  if (line === undefined) throw new Error(`the load generator printed no result (exit ${exitCode}):\n${stdout}\n${stderr}`);
  const dumps = stderr
    .split("\n")
    .filter((l) => l.startsWith("dump "))
    .map((l) => new Uint8Array(Buffer.from(l.slice(5).trim(), "hex")));
  return { ...(JSON.parse(line) as Omit<LoadgenResult, "dumps" | "exitCode" | "stderr">), dumps, exitCode, stderr };
}

/** Runs one load-generator pass to completion. */
export function runLoadgen(o: LoadgenOptions): Promise<LoadgenResult> {
  const [cmd, ...rest] = args(o) as [string, ...string[]];
  const child = spawn(cmd, rest, { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolvePromise, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      try {
        resolvePromise(parse(stdout, stderr, code ?? -1));
      } catch (err) {
        reject(err as Error);
      }
    });
  });
}

/** Idle mode: resolves once every connection is open; `release()` closes them and gives the result. */
export function holdConnections(o: LoadgenOptions): Promise<{ connectSeconds: number; release: () => Promise<LoadgenResult> }> {
  const [cmd, ...rest] = args({ ...o, mode: "idle" }) as [string, ...string[]];
  const child = spawn(cmd, rest, { stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const done = new Promise<LoadgenResult>((resolvePromise, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      try {
        resolvePromise(parse(stdout, stderr, code ?? -1));
      } catch (err) {
        reject(err as Error);
      }
    });
  });
  return new Promise((resolvePromise, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      const m = /^READY (\d+) ([\d.]+)$/m.exec(stdout);
      if (m)
        resolvePromise({
          connectSeconds: Number(m[2]),
          release: () => {
            child.stdin.end();
            return done;
          },
        });
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    done.then(
      (r) => reject(new Error(`the load generator ended before all connections were open: ${r.error || JSON.stringify(r)}`)),
      reject,
    );
  });
}
