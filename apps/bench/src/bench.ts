/**
 * The benchmark harness: starts each server as its own Node process pinned to one
 * core, drives it with the C load generator pinned to the other, and writes a
 * markdown report (stdout and RESULTS.md).
 *
 *   pnpm bench                 full run (≈ 15–20 minutes with the ws-engine rows)
 *   pnpm bench --quick         short run for local checks (< 60 s)
 *   options: --runs N  --only rpc,fanout,memory,stream  --targets id,id  --no-write  --out FILE
 *            --server-core C  --loadgen-core C
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { BENCH_DIR, buildLoadgen, holdConnections, runLoadgen, type LoadgenResult } from "./loadgen.js";
import { machineInfo, renderReport, type Report } from "./report.js";
import { FANOUT_TARGETS, MEMORY_TARGETS, RPC_TARGETS, STREAM_TARGETS, type RpcTarget, type Target } from "./scenarios.js";
import { startServer, type ServerName, type ServerProcess } from "./serverProcess.js";
import { idleSpec } from "./specs.js";

export interface Config {
  quick: boolean;
  runs: number;
  rpcWarmup: number;
  rpcDuration: number;
  fanoutSubscribers: number;
  fanoutPublishes: number;
  /** Measured rounds per fan-out run (after one warm-up round); the run's figure is over all of them. */
  fanoutRounds: number;
  memoryConns: number;
  memoryRuns: number;
  streamValues: number;
  serverCore: number;
  loadgenCore: number;
}

const FULL: Omit<Config, "serverCore" | "loadgenCore"> = {
  quick: false,
  runs: 5,
  rpcWarmup: 1,
  rpcDuration: 3,
  fanoutSubscribers: 1000,
  fanoutPublishes: 1000,
  fanoutRounds: 3,
  memoryConns: 10_000,
  memoryRuns: 3,
  streamValues: 1_000_000,
};

const QUICK: Omit<Config, "serverCore" | "loadgenCore"> = {
  quick: true,
  runs: 3,
  rpcWarmup: 0.1,
  rpcDuration: 0.25,
  fanoutSubscribers: 1000,
  fanoutPublishes: 25,
  fanoutRounds: 1,
  memoryConns: 10_000,
  memoryRuns: 1,
  streamValues: 50_000,
};

export type Section = "rpc" | "fanout" | "memory" | "stream";
const SECTIONS: Section[] = ["rpc", "fanout", "memory", "stream"];

/** One measured figure over several runs. */
export interface Sample {
  values: number[];
  /** Extra per-run numbers (CPU, latency percentiles, …) by name. */
  extra: Record<string, number[]>;
  errors: string[];
}

export interface RpcRow {
  target: RpcTarget;
  throughput: Sample; // 64×16
  latency: Sample; // 1×1
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const log = (s: string): void => void process.stderr.write(`${s}\n`);
const fmt = (n: number, digits = 0): string => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

function parseArgs(argv: string[]): { config: Config; only: Set<Section>; targets: Set<string> | undefined; write: boolean; out: string } {
  const flag = (name: string): string | undefined => {
    const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
    if (i === -1) return undefined;
    const a = argv[i] as string;
    return a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[i + 1];
  };
  const quick = argv.includes("--quick");
  const base = quick ? QUICK : FULL;
  const runs = flag("--runs");
  const config: Config = {
    ...base,
    runs: runs ? Number(runs) : base.runs,
    memoryRuns: runs ? Math.max(1, Math.min(Number(runs), base.memoryRuns)) : base.memoryRuns,
    serverCore: Number(flag("--server-core") ?? 0),
    loadgenCore: Number(flag("--loadgen-core") ?? 1),
  };
  const onlyArg = flag("--only");
  const only = new Set((onlyArg ? onlyArg.split(",") : SECTIONS) as Section[]);
  for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`unknown section ${s} (rpc, fanout, memory, stream)`);
  const targetsArg = flag("--targets");
  return {
    config,
    only,
    targets: targetsArg ? new Set(targetsArg.split(",")) : undefined,
    write: !argv.includes("--no-write"),
    out: flag("--out") ?? join(BENCH_DIR, "RESULTS.md"),
  };
}

function emptySample(): Sample {
  return { values: [], extra: {}, errors: [] };
}

function push(sample: Sample, key: string, v: number): void {
  (sample.extra[key] ??= []).push(v);
}

/** A load-generator result that went wrong, as one line (undefined when it is clean). */
function problem(r: LoadgenResult): string | undefined {
  if (r.exitCode === 0 && !r.error) return undefined;
  return r.error || `exit ${r.exitCode}: ${r.stderr.trim().split("\n").slice(-1)[0] ?? ""}`;
}

/**
 * The server processes of the RPC, fan-out and streaming sections: one per server,
 * started on first use and kept (warm) until the end of those sections. The memory
 * section starts a fresh process for every measurement.
 */
class ServerPool {
  readonly #servers = new Map<ServerName, Promise<ServerProcess>>();
  constructor(private readonly config: Config) {}
  get(name: ServerName): Promise<ServerProcess> {
    let s = this.#servers.get(name);
    if (s === undefined) this.#servers.set(name, (s = startServer(name, { core: this.config.serverCore })));
    return s;
  }
  async stop(): Promise<void> {
    const all = await Promise.allSettled(this.#servers.values());
    await Promise.all(all.map((r) => (r.status === "fulfilled" ? r.value.stop() : undefined)));
    this.#servers.clear();
  }
}

// ---------- sections ----------

async function rpcSection(config: Config, targets: typeof RPC_TARGETS, pool: ServerPool): Promise<RpcRow[]> {
  const rows: RpcRow[] = targets.map((target) => ({ target, throughput: emptySample(), latency: emptySample() }));
  for (const t of targets) await pool.get(t.server);
  // Runs go round-robin over the targets, so a burst of noise on the machine hits all of them alike.
  for (let run = 0; run < config.runs; run++) {
    for (const row of rows) {
      const server = await pool.get(row.target.server);
      for (const [kind, conns, window] of [["throughput", 64, 16], ["latency", 1, 1]] as const) {
        const r = await runLoadgen({
          mode: "rpc",
          port: server.port,
          serverPid: server.pid,
          endpoint: row.target.endpoint,
          spec: row.target.spec(),
          conns,
          window,
          warmup: config.rpcWarmup,
          duration: config.rpcDuration,
          busy: kind === "latency",
          timeout: 30,
          core: config.loadgenCore,
        });
        const sample = row[kind];
        const err = problem(r);
        if (err !== undefined || !r.rate) {
          sample.errors.push(err ?? "no responses");
          log(`[rpc ${conns}×${window}] ${row.target.id} run ${run + 1}: FAILED ${err ?? ""}`);
          continue;
        }
        sample.values.push(kind === "throughput" ? r.rate : (r.p50_us as number));
        push(sample, "rate", r.rate);
        push(sample, "p50", r.p50_us as number);
        push(sample, "p99", r.p99_us as number);
        push(sample, "serverCpu", r.server_cpu as number);
        push(sample, "loadgenCpu", r.loadgen_cpu as number);
        push(sample, "loadgenUserCpu", r.loadgen_user_cpu ?? Number.NaN);
        push(sample, "serverWait", r.server_wait ?? Number.NaN);
        push(sample, "loadgenWait", r.loadgen_wait ?? Number.NaN);
        log(
          `[rpc ${conns}×${window}] ${row.target.id} run ${run + 1}/${config.runs}: ${fmt(r.rate)} calls/s, p50 ${fmt(r.p50_us as number, 1)} µs, ` +
            `p99 ${fmt(r.p99_us as number, 1)} µs (server CPU ${fmt(100 * (r.server_cpu as number))}%, loadgen CPU ${fmt(100 * (r.loadgen_cpu as number))}% of which user ${fmt(100 * (r.loadgen_user_cpu ?? 0))}%; ` +
            `waiting for a CPU: server ${fmt(100 * (r.server_wait ?? 0))}%, loadgen ${fmt(100 * (r.loadgen_wait ?? 0))}%)`,
        );
      }
    }
  }
  return rows;
}

export interface FanoutRow {
  target: Target;
  sample: Sample;
}

async function fanoutSection(config: Config, targets: typeof FANOUT_TARGETS, pool: ServerPool): Promise<FanoutRow[]> {
  const deliveries = config.fanoutSubscribers * config.fanoutPublishes;
  const rows = targets.map((target) => ({ target, sample: emptySample() }));
  for (const t of targets) await pool.get(t.server);
  // Runs go round-robin over the targets, as in the RPC section: one load-generator run (1,000 fresh
  // subscribers, a warm-up round, then fanoutRounds measured rounds) per target in turn, so a slow minute
  // on the machine hits every server alike instead of whichever was measuring then. A run's figure is
  // over all its measured rounds (deliveries ÷ their summed time; CPU likewise).
  const rounds = config.fanoutRounds;
  const sum = (xs: number[] | undefined): number => (xs ?? []).reduce((a, b) => a + b, 0);
  for (let run = 0; run < config.runs; run++) {
    for (const { target, sample } of rows) {
      const server = await pool.get(target.server);
      const r = await runLoadgen({
        mode: "fanout",
        port: server.port,
        serverPid: server.pid,
        endpoint: target.endpoint,
        spec: target.spec(config.fanoutPublishes),
        conns: config.fanoutSubscribers,
        expect: config.fanoutPublishes,
        rounds,
        warmupRounds: 1,
        timeout: config.quick ? 30 : 300,
        core: config.loadgenCore,
      });
      const err = problem(r);
      if (err !== undefined) sample.errors.push(err);
      const measured = r.round_seconds?.length ?? 0;
      const s = sum(r.round_seconds);
      const all = deliveries * measured;
      if (measured === rounds && s > 0) {
        sample.values.push(all / s);
        push(sample, "seconds", s / measured);
        push(sample, "firstMs", sum(r.round_first_ms) / measured);
        push(sample, "serverCpuUs", (sum(r.round_server_cpu_s) / all) * 1e6);
        push(sample, "loadgenCpuUs", (sum(r.round_loadgen_cpu_s) / all) * 1e6);
        push(sample, "serverCpu", sum(r.round_server_cpu_s) / s);
        push(sample, "loadgenCpu", sum(r.round_loadgen_cpu_s) / s);
        push(sample, "serverWait", sum(r.round_server_wait_s) / s);
        push(sample, "loadgenWait", sum(r.round_loadgen_wait_s) / s);
      } else if (err === undefined) sample.errors.push(`${measured} of ${rounds} rounds measured`);
      log(
        `[fan-out ${config.fanoutSubscribers}×${config.fanoutPublishes}] ${target.id} run ${run + 1}/${config.runs}: ` +
          (err ? `FAILED ${err} ` : "") +
          (measured === rounds && s > 0 ? `${fmt(all / s)}/s over ${measured} round${measured === 1 ? "" : "s"}` : "no complete run"),
      );
    }
  }
  return rows;
}

export interface MemoryRow {
  target: Target;
  sample: Sample; // bytes per connection
}

async function memorySection(config: Config, targets: typeof MEMORY_TARGETS): Promise<MemoryRow[]> {
  const rows: MemoryRow[] = [];
  for (const target of targets) {
    const sample = emptySample();
    rows.push({ target, sample });
    for (let run = 0; run < config.memoryRuns; run++) {
      const server = await startServer(target.server, { core: config.serverCore });
      try {
        await sleep(config.quick ? 100 : 500);
        const heapBefore = await server.gc();
        const before = server.rss();
        const held = await holdConnections({
          mode: "idle",
          port: server.port,
          endpoint: target.endpoint,
          spec: idleSpec,
          conns: config.memoryConns,
          timeout: 120,
          core: config.loadgenCore,
        });
        await sleep(config.quick ? 200 : 1000);
        const heapAfter = await server.gc();
        const after = server.rss();
        const r = await held.release();
        if (r.closed > 0) sample.errors.push(`${r.closed} connections closed while idle: ${r.error}`);
        const per = (after - before) / config.memoryConns;
        sample.values.push(per);
        push(sample, "before", before);
        push(sample, "after", after);
        push(sample, "connectS", held.connectSeconds);
        push(sample, "heapPerConn", (heapAfter.heapUsed - heapBefore.heapUsed) / config.memoryConns);
        push(sample, "externalPerConn", (heapAfter.external - heapBefore.external) / config.memoryConns);
        log(
          `[memory ${fmt(config.memoryConns)} idle] ${target.id} run ${run + 1}/${config.memoryRuns}: ${fmt(per)} B/connection ` +
            `(JS heap ${fmt((heapAfter.heapUsed - heapBefore.heapUsed) / config.memoryConns)} B) ` +
            `(RSS ${fmt(before / 2 ** 20, 1)} → ${fmt(after / 2 ** 20, 1)} MiB, connected in ${fmt(held.connectSeconds, 2)} s)`,
        );
      } catch (err) {
        sample.errors.push(err instanceof Error ? err.message.split("\n")[0] ?? "" : String(err));
        log(`[memory] ${target.id}: FAILED ${String(err)}`);
      } finally {
        await server.stop();
      }
    }
  }
  return rows;
}

export interface StreamRow {
  target: Target;
  sample: Sample;
}

async function streamSection(config: Config, targets: typeof STREAM_TARGETS, pool: ServerPool): Promise<StreamRow[]> {
  const rows: StreamRow[] = [];
  for (const target of targets) {
    const server = await pool.get(target.server);
    const sample = emptySample();
    rows.push({ target, sample });
    const r = await runLoadgen({
      mode: "stream",
      port: server.port,
      serverPid: server.pid,
      endpoint: target.endpoint,
      spec: target.spec(config.streamValues),
      expect: config.streamValues + 1,
      rounds: config.runs,
      warmupRounds: 1,
      timeout: 120,
      core: config.loadgenCore,
    });
    const err = problem(r);
    if (err !== undefined) sample.errors.push(err);
    (r.round_seconds ?? []).forEach((s, i) => {
      sample.values.push(config.streamValues / s);
      push(sample, "serverCpuUs", ((r.round_server_cpu_s?.[i] ?? 0) / config.streamValues) * 1e6);
      push(sample, "loadgenCpuUs", ((r.round_loadgen_cpu_s?.[i] ?? 0) / config.streamValues) * 1e6);
      push(sample, "serverCpu", (r.round_server_cpu_s?.[i] ?? 0) / s);
      push(sample, "loadgenCpu", (r.round_loadgen_cpu_s?.[i] ?? 0) / s);
      push(sample, "serverWait", (r.round_server_wait_s?.[i] ?? 0) / s);
      push(sample, "loadgenWait", (r.round_loadgen_wait_s?.[i] ?? 0) / s);
    });
    log(`[stream ${fmt(config.streamValues)} values] ${target.id}: ${err ? `FAILED ${err} ` : ""}${sample.values.map((v) => `${fmt(v)}/s`).join(", ")}`);
  }
  return rows;
}

// ---------- main ----------

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { config, only, targets, write, out } = parseArgs(argv);
  const pick = <T extends Target>(list: T[]): T[] => (targets ? list.filter((t) => targets.has(t.id)) : list);
  buildLoadgen();
  const started = Date.now();
  const machine = machineInfo();
  log(`webshocket bench (${config.quick ? "quick" : "full"}): ${machine.cpu}, ${machine.nproc} cores, node ${machine.node}, load ${machine.loadStart}`);
  const pool = new ServerPool(config);
  let rpc: RpcRow[] = [];
  let fanout: FanoutRow[] = [];
  let stream: StreamRow[] = [];
  try {
    if (only.has("rpc")) rpc = await rpcSection(config, pick(RPC_TARGETS), pool);
    if (only.has("fanout")) fanout = await fanoutSection(config, pick(FANOUT_TARGETS), pool);
    if (only.has("stream")) stream = await streamSection(config, pick(STREAM_TARGETS), pool);
  } finally {
    await pool.stop();
  }
  const memory = only.has("memory") ? await memorySection(config, pick(MEMORY_TARGETS)) : [];
  const report: Report = {
    config,
    machine,
    command: `pnpm bench${argv.length ? ` ${argv.join(" ")}` : ""}`,
    rpc,
    fanout,
    memory,
    stream,
    seconds: 0,
  };
  report.seconds = (Date.now() - started) / 1000;
  report.machine.loadEnd = machineInfo().loadStart;
  const md = renderReport(report);
  process.stdout.write(`\n${md}`);
  if (write) {
    writeFileSync(out, md);
    log(`\nwritten to ${out}`);
  }
  const failed = [...report.rpc.flatMap((r) => [r.throughput, r.latency]), ...report.fanout.map((r) => r.sample), ...report.memory.map((r) => r.sample), ...report.stream.map((r) => r.sample)].some(
    (s) => s.values.length === 0,
  );
  if (failed) process.exitCode = 1;
}

await main();
