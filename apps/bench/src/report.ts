/** The markdown report: machine, command, one table per section, targets. */
import { readFileSync } from "node:fs";
import * as os from "node:os";
import type { Config, FanoutRow, MemoryRow, RpcRow, Sample, StreamRow } from "./bench.js";
import { HAS_TASKSET } from "./loadgen.js";
import { RAW, RPC_WEBSOCKETS, SOCKETIO, SOCKETIO_DEFAULT, WS, WS_ENGINE_PREFIX } from "./scenarios.js";

export interface Machine {
  nproc: number;
  cpu: string;
  node: string;
  kernel: string;
  loadStart: string;
  loadEnd: string;
  date: string;
  pinned: boolean;
}

export interface Report {
  config: Config;
  machine: Machine;
  command: string;
  rpc: RpcRow[];
  fanout: FanoutRow[];
  memory: MemoryRow[];
  stream: StreamRow[];
  seconds: number;
}

export function machineInfo(): Machine {
  let cpu = os.cpus()[0]?.model ?? "unknown";
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux
  }
  return {
    nproc: os.availableParallelism(),
    cpu,
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
    loadStart: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" "),
    loadEnd: "",
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    pinned: HAS_TASKSET,
  };
}

// ---------- statistics ----------

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }) : "–";

/** "median (min–max)", or the single value. */
function spread(values: readonly number[], digits = 0): string {
  if (values.length === 0) return "–";
  const m = fmt(median(values), digits);
  if (values.length === 1) return m;
  return `${m} (${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)})`;
}

function med(sample: Sample | undefined, key?: string): number {
  if (sample === undefined) return Number.NaN;
  return median(key === undefined ? sample.values : (sample.extra[key] ?? []));
}

const ratio = (a: number, b: number): string => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}×` : "–");
const pct = (x: number): string => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : "–");

function failures(rows: Array<{ label: string; sample: Sample }>): string[] {
  return rows.flatMap(({ label, sample }) => [...new Set(sample.errors)].map((e) => `- ${label}: ${e}`));
}

// ---------- sections ----------

function rpcTables(r: Report): string[] {
  if (r.rpc.length === 0) return [];
  const byId = new Map(r.rpc.map((row) => [row.target.id, row]));
  const raw = byId.get(RAW);
  const sio = byId.get(SOCKETIO);
  const ws = byId.get(WS);
  const out: string[] = [];
  out.push(
    "## 1. RPC: `add(a, b)` round trips",
    "",
    "### 64 connections × 16 calls in flight",
    "",
    "| server | calls/s, median (min–max) | × raw uWS | × socket.io (uWS) | × bare ws | p50 µs | p99 µs | server CPU | server CPU µs/call | load-gen CPU (user) | load-gen CPU µs/call (user) | waited for a CPU: server / load-gen |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const row of r.rpc) {
    const t = row.throughput;
    const rate = med(t);
    out.push(
      `| ${row.target.label} | ${spread(t.values)} | ${ratio(rate, med(raw?.throughput))} | ${ratio(rate, med(sio?.throughput))} | ${ratio(rate, med(ws?.throughput))} | ` +
        `${fmt(med(t, "p50"), 0)} | ${fmt(med(t, "p99"), 0)} | ${pct(med(t, "serverCpu"))} | ${fmt((med(t, "serverCpu") / rate) * 1e6, 2)} | ` +
        `${pct(med(t, "loadgenCpu"))} (${pct(med(t, "loadgenUserCpu"))}) | ${fmt((med(t, "loadgenCpu") / rate) * 1e6, 2)} (${fmt((med(t, "loadgenUserCpu") / rate) * 1e6, 3)}) | ` +
        `${pct(med(t, "serverWait"))} / ${pct(med(t, "loadgenWait"))} |`,
    );
  }
  const headroom = (row: RpcRow | undefined): string => {
    if (row === undefined || row.throughput.values.length === 0) return "–";
    const t = row.throughput;
    const rate = med(t);
    return (
      `server ${pct(med(t, "serverCpu"))} of its core, load generator ${pct(med(t, "loadgenCpu"))} of its own; ` +
      `CPU per call: server ${fmt((med(t, "serverCpu") / rate) * 1e6, 2)} µs, load generator ${fmt((med(t, "loadgenCpu") / rate) * 1e6, 2)} µs ` +
      `of which ${fmt((med(t, "loadgenUserCpu") / rate) * 1e6, 3)} µs in user space (the rest is its system calls, where on loopback the ` +
      `sender also pays the kernel's TCP work for the receiving side)`
    );
  };
  out.push(
    "",
    `**Load-generator headroom.** Raw uWS echo (the cheapest server): ${headroom(raw)}. ` +
      `webshocket (msgpack): ${headroom(byId.get("webshocket-msgpack"))}.` +
      (ws ? ` Bare ws echo: ${headroom(ws)}.` : "") +
      (byId.has("webshocket-ws-msgpack") ? ` webshocket on the ws engine (msgpack): ${headroom(byId.get("webshocket-ws-msgpack"))}.` : ""),
  );
  out.push(...wsEngineTable(r));
  out.push(
    "",
    "### 1 connection × 1 call in flight (busy-polling client)",
    "",
    "| server | p50 µs, median (min–max) | × raw uWS | × socket.io (uWS) | × bare ws | p99 µs | calls/s | server CPU | load-gen CPU | waited for a CPU: server / load-gen |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const row of r.rpc) {
    const l = row.latency;
    const p50 = med(l);
    out.push(
      `| ${row.target.label} | ${spread(l.values, 1)} | ${ratio(p50, med(raw?.latency))} | ${ratio(p50, med(sio?.latency))} | ${ratio(p50, med(ws?.latency))} | ` +
        `${fmt(med(l, "p99"), 1)} | ${fmt(med(l, "rate"))} | ${pct(med(l, "serverCpu"))} | ${pct(med(l, "loadgenCpu"))} | ` +
        `${pct(med(l, "serverWait"))} / ${pct(med(l, "loadgenWait"))} |`,
    );
  }
  out.push("");
  return out;
}

/** Server CPU µs per call at 64×16 (NaN when not measured). */
const cpuPerCall = (s: Sample | undefined): number => (med(s, "serverCpu") / med(s)) * 1e6;

/**
 * The ws engine's RPC rows against what runs on the same transport: the bare `ws` echo (its ceiling),
 * socket.io on its default engine and rpc-websockets (both on `ws`); from calls/s and from server CPU per call.
 */
function wsEngineTable(r: Report): string[] {
  const rows = r.rpc.filter((row) => row.target.id.startsWith(WS_ENGINE_PREFIX));
  if (rows.length === 0) return [];
  const byId = new Map(r.rpc.map((row) => [row.target.id, row]));
  const bases = [WS, SOCKETIO_DEFAULT, RPC_WEBSOCKETS].map((id) => byId.get(id)?.throughput);
  const out = [
    "",
    "### On ws: webshocket's ws engine against the servers that run on `ws`, 64 × 16",
    "",
    "Ratios of calls/s (and, after the slash, of server CPU µs per call, the inverse: above 1× is cheaper per call).",
    "",
    "| server | calls/s | server CPU µs/call | × bare ws echo | × socket.io, default engine | × rpc-websockets | 1×1 p50 × bare ws echo |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const row of rows) {
    const t = row.throughput;
    const cells = bases.map((b) => `${ratio(med(t), med(b))} / ${ratio(cpuPerCall(b), cpuPerCall(t))}`);
    out.push(
      `| ${row.target.label} | ${fmt(med(t))} | ${fmt(cpuPerCall(t), 2)} | ${cells.join(" | ")} | ${ratio(med(row.latency), med(byId.get(WS)?.latency))} |`,
    );
  }
  return out;
}

function fanoutTable(r: Report): string[] {
  if (r.fanout.length === 0) return [];
  const byId = new Map(r.fanout.map((row) => [row.target.id, row]));
  const raw = byId.get(RAW)?.sample;
  const sio = byId.get(SOCKETIO)?.sample;
  const ws = byId.get(WS)?.sample;
  const c = r.config;
  const out = [
    `## 2. Fan-out: ${fmt(c.fanoutSubscribers)} subscribers × ${fmt(c.fanoutPublishes)} publishes of 64 bytes`,
    "",
    "Deliveries per second, from the trigger to the last message at the last subscriber.",
    "",
    "| server | deliveries/s, median (min–max) | × raw uWS | × socket.io (uWS) | × ws loop | ms to first delivery | server CPU | server CPU µs/delivery | load-gen CPU | load-gen CPU µs/delivery | waited for a CPU: server / load-gen |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const row of r.fanout) {
    const s = row.sample;
    const v = med(s);
    out.push(
      `| ${row.target.label} | ${spread(s.values)} | ${ratio(v, med(raw))} | ${ratio(v, med(sio))} | ${ratio(v, med(ws))} | ${fmt(med(s, "firstMs"), 1)} | ` +
        `${pct(med(s, "serverCpu"))} | ${fmt(med(s, "serverCpuUs"), 3)} | ${pct(med(s, "loadgenCpu"))} | ${fmt(med(s, "loadgenCpuUs"), 3)} | ` +
        `${pct(med(s, "serverWait"))} / ${pct(med(s, "loadgenWait"))} |`,
    );
  }
  out.push("");
  return out;
}

function memoryTable(r: Report): string[] {
  if (r.memory.length === 0) return [];
  const byId = new Map(r.memory.map((row) => [row.target.id, row]));
  const raw = byId.get(RAW)?.sample;
  const sio = byId.get(SOCKETIO)?.sample;
  const ws = byId.get(WS)?.sample;
  const out = [
    `## 3. Memory: server RSS per idle connection at ${fmt(r.config.memoryConns)} connections`,
    "",
    "(RSS with the connections open − RSS before), after a full GC in the server each time, ÷ connections. The JS heap",
    "column is the same difference of `process.memoryUsage().heapUsed`; the rest is native (uWS/libuv sockets, buffers, malloc).",
    "",
    "| server | bytes/connection, median (min–max) | × raw uWS | × socket.io (uWS) | × bare ws | of which JS heap B/conn | RSS before MiB | RSS with connections MiB | connect time s |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const row of r.memory) {
    const s = row.sample;
    const v = med(s);
    out.push(
      `| ${row.target.label} | ${spread(s.values)} | ${ratio(v, med(raw))} | ${ratio(v, med(sio))} | ${ratio(v, med(ws))} | ${fmt(med(s, "heapPerConn"))} | ${fmt(med(s, "before") / 2 ** 20, 1)} | ` +
        `${fmt(med(s, "after") / 2 ** 20, 1)} | ${fmt(med(s, "connectS"), 2)} |`,
    );
  }
  out.push("");
  return out;
}

function streamTable(r: Report): string[] {
  if (r.stream.length === 0) return [];
  const raw = r.stream.find((row) => row.target.id === RAW)?.sample;
  const out = [
    `## 4. Streaming: ${fmt(r.config.streamValues)} values from one streaming call to one client`,
    "",
    "| server | values/s, median (min–max) | × raw uWS | server CPU | server CPU µs/value | load-gen CPU | load-gen CPU µs/value | waited for a CPU: server / load-gen |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const row of r.stream) {
    const s = row.sample;
    out.push(
      `| ${row.target.label} | ${spread(s.values)} | ${ratio(med(s), med(raw))} | ${pct(med(s, "serverCpu"))} | ${fmt(med(s, "serverCpuUs"), 3)} | ` +
        `${pct(med(s, "loadgenCpu"))} | ${fmt(med(s, "loadgenCpuUs"), 3)} | ${pct(med(s, "serverWait"))} / ${pct(med(s, "loadgenWait"))} |`,
    );
  }
  out.push("");
  return out;
}

interface TargetCheck {
  what: string;
  goal: string;
  value: number;
  /** The same ratio from server CPU time per operation (robust to a shared machine); NaN if n/a. */
  cpuValue: number;
  ok: boolean;
}

function targetChecks(r: Report): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const rpc = new Map(r.rpc.map((row) => [row.target.id, row]));
  /** `above`: the goal is "more than `min`" (ahead of), else "at least `min`". */
  const rpcRatio = (a: string, b: string, what: string, min: number, above = false): void => {
    const x = rpc.get(a)?.throughput;
    const y = rpc.get(b)?.throughput;
    if (!x || !y) return;
    const value = med(x) / med(y);
    checks.push({ what, goal: `${above ? ">" : "≥"} ${min}×`, value, cpuValue: cpuPerCall(y) / cpuPerCall(x), ok: above ? value > min : value >= min });
  };
  rpcRatio("webshocket-msgpack", RAW, "RPC 64×16 throughput, msgpack vs raw uWS echo", 0.45);
  rpcRatio("webshocket-msgpack", SOCKETIO, "RPC 64×16 throughput, msgpack vs socket.io on uWS", 2.5);
  rpcRatio("webshocket-json", RAW, "RPC 64×16 throughput, JSON vs raw uWS echo", 0.35);
  rpcRatio("webshocket-ws-msgpack", RPC_WEBSOCKETS, "RPC 64×16 throughput, ws engine (msgpack) vs rpc-websockets (on ws)", 1, true);
  rpcRatio("webshocket-ws-msgpack", SOCKETIO_DEFAULT, "RPC 64×16 throughput, ws engine (msgpack) vs socket.io's default engine (on ws)", 1, true);
  rpcRatio("webshocket-ws-msgpack", WS, "RPC 64×16 throughput, ws engine (msgpack) vs bare ws echo", 0.8);
  const lw = rpc.get("webshocket-msgpack")?.latency;
  const lr = rpc.get(RAW)?.latency;
  if (lw && lr) {
    const value = med(lw) / med(lr);
    checks.push({ what: "RPC 1×1 p50 latency, msgpack vs raw uWS echo", goal: "≤ 1.10×", value, cpuValue: Number.NaN, ok: value <= 1.1 });
  }
  const fan = new Map(r.fanout.map((row) => [row.target.id, row.sample]));
  const fanRaw = fan.get(RAW);
  for (const [id, min] of [["webshocket-exact", 0.9], ["webshocket-wildcard", 0.5], ["webshocket-predicate", 0.5]] as const) {
    const s = fan.get(id);
    if (!s || !fanRaw) continue;
    const value = med(s) / med(fanRaw);
    checks.push({
      what: `fan-out ${id.replace("webshocket-", "")} vs raw uWS topic publish`,
      goal: `≥ ${min}×`,
      value,
      cpuValue: med(fanRaw, "serverCpuUs") / med(s, "serverCpuUs"),
      ok: value >= min,
    });
  }
  const mem = r.memory.find((row) => row.target.id === "webshocket-msgpack")?.sample;
  if (mem) {
    const value = med(mem);
    checks.push({ what: "memory per idle connection (bytes)", goal: "≤ 2,048", value, cpuValue: Number.NaN, ok: value <= 2048 });
  }
  return checks;
}

export function renderReport(r: Report): string {
  const m = r.machine;
  const c = r.config;
  const lines: string[] = [
    "# webshocket benchmark results",
    "",
    `Generated by apps/bench on ${m.date}${c.quick ? " — **quick mode** (short runs: for checking the harness, not for quoting)" : ""}.`,
    "",
    "| | |",
    "| --- | --- |",
    `| command | \`${r.command}\` (from the repository root; in apps/bench: \`pnpm bench${r.command.slice("pnpm bench".length)}\`) |`,
    `| machine | ${m.nproc} cores (nproc), ${m.cpu} |`,
    `| Node | ${m.node} |`,
    `| kernel | ${m.kernel} |`,
    `| load average (1, 5, 15 min) | ${m.loadStart} at the start, ${m.loadEnd} at the end |`,
    `| pinning | ${m.pinned ? `server on core ${c.serverCore}, load generator on core ${c.loadgenCore} (taskset)` : "none (taskset not found)"} |`,
    `| runs | ${c.runs} per figure (memory: ${c.memoryRuns}); each figure is the median, (min–max) beside it |`,
    `| duration | ${Math.round(r.seconds)} s |`,
    "",
    "Ratios compare medians. \"server CPU\" is the server process's CPU time (all threads, /proc/PID/task/*/schedstat)",
    "over the measured window ÷ wall time: 100% is one full core. \"Waited for a CPU\" is the time its threads were",
    "runnable but another process had the core (same source; summed over threads, so it can pass 100%): when it is",
    "more than a few percent, other load on the machine shaped that figure. The CPU µs per operation columns do not",
    "depend on how much of its core a process got, so they are the figures to compare on a shared, noisy machine.",
    "",
  ];
  // The load average counts the benchmark's own two processes, so it cannot tell; the wait figures can.
  const waits = [
    ...r.rpc.flatMap((row) => [row.throughput, row.latency]),
    ...r.fanout.map((row) => row.sample),
    ...r.stream.map((row) => row.sample),
  ].flatMap((s) => [med(s, "serverWait"), med(s, "loadgenWait")]).filter((w) => Number.isFinite(w));
  const waitMedian = median(waits);
  if (waits.length > 0 && waitMedian > 0.05) {
    lines.push(
      `> **Measured on a busy machine**: the median \"waited for a CPU\" figure is ${pct(waitMedian)}, so other processes took`,
      "> turns on the benchmark's cores. Figures whose processes waited much are low and spread; the CPU-per-operation",
      "> figures hold up better. Repeat on a quiet machine before quoting.",
      "",
    );
  }
  lines.push(...rpcTables(r), ...fanoutTable(r), ...memoryTable(r), ...streamTable(r));
  const checks = targetChecks(r);
  if (checks.length) {
    lines.push(
      "## Targets",
      "",
      "| target | goal | measured | from server CPU per operation | met |",
      "| --- | ---: | ---: | ---: | :---: |",
      ...checks.map(
        (t) =>
          `| ${t.what} | ${t.goal} | ${t.goal.includes("2,048") ? fmt(t.value) : `${t.value.toFixed(2)}×`} | ${Number.isFinite(t.cpuValue) ? `${t.cpuValue.toFixed(2)}×` : "–"} | ${t.ok ? "yes" : "**no**"} |`,
      ),
      "",
    );
  }
  const fails = failures([
    ...r.rpc.flatMap((row) => [
      { label: `${row.target.label} (64×16)`, sample: row.throughput },
      { label: `${row.target.label} (1×1)`, sample: row.latency },
    ]),
    ...r.fanout.map((row) => ({ label: `fan-out ${row.target.label}`, sample: row.sample })),
    ...r.memory.map((row) => ({ label: `memory ${row.target.label}`, sample: row.sample })),
    ...r.stream.map((row) => ({ label: `stream ${row.target.label}`, sample: row.sample })),
  ]);
  if (fails.length) lines.push("## Problems seen", "", ...fails, "");
  lines.push("Methodology: see [README.md](README.md).", "");
  return lines.join("\n");
}
