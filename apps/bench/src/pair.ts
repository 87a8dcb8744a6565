/**
 * Paired A/B runs: two builds of one bench server (two checkouts, e.g. `git worktree add /tmp/base HEAD~1`
 * and this one, both built), run side by side and measured in alternation (A B, B A, A B, …) under the
 * same load, so the machine's slow minutes fall on both alike. Prints every pair and the median of the
 * per-pair ratios B/A, which on a noisy machine settles a few-percent difference that the medians of
 * separate full runs cannot.
 *
 *   pnpm --filter @webshocket/bench run pair --a DIR --b DIR [--target ID] [--pairs N] [--seconds S]
 *        [--latency] [--env-a K=V,…] [--env-b K=V,…]
 *   pnpm --filter @webshocket/bench run pair --a DIR --b DIR --inproc [--pairs N] [--calls N]
 *
 * DIR is a repository root (its apps/bench/dist/servers/ is run), relative to the directory the command was
 * typed in. --target takes an RPC target id (figure: server CPU µs per call, 64×16; with --latency: p50 µs,
 * 1×1 busy-polling; an id in both sections, uws-raw or ws-loop, is the RPC one) or a fan-out target id
 * (figure: server CPU µs per delivery over 3 rounds, 1,000 subscribers × 1,000 publishes; with --latency:
 * wall-clock µs per delivery, trigger to last message, the inverse of the full run's deliveries/s).
 * --inproc compares the two builds' in-process JS path per add() call instead (see inproc.ts): ns per call,
 * each side in a fresh process on core 0, no load generator.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { buildLoadgen, runLoadgen } from "./loadgen.js";
import { median } from "./report.js";
import { FANOUT_TARGETS, RPC_TARGETS } from "./scenarios.js";
import { startServer, type ServerProcess } from "./serverProcess.js";

/** The median over pairs of b[i] / a[i]. */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((x, i) => (b[i] as number) / x));
}

/** Which of A and B runs first in pair `i`: alternating, so neither always follows the other. */
export function pairOrder(i: number): ["a", "b"] | ["b", "a"] {
  return i % 2 === 0 ? ["a", "b"] : ["b", "a"];
}

function parseEnv(text: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const kv of (text ?? "").split(",").filter(Boolean)) {
    const at = kv.indexOf("=");
    if (at < 1) throw new Error(`--env takes K=V pairs, got ${kv}`);
    env[kv.slice(0, at)] = kv.slice(at + 1);
  }
  return env;
}

async function main(argv: string[]): Promise<void> {
  const flag = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i === -1 ? undefined : argv[i + 1];
  };
  // Relative to where the command was typed: pnpm runs the script in apps/bench but sets INIT_CWD.
  const root = (dir: string | undefined): string | undefined => (dir === undefined ? undefined : resolve(process.env.INIT_CWD ?? process.cwd(), dir));
  const dirA = root(flag("--a"));
  const dirB = root(flag("--b"));
  if (dirA === undefined || dirB === undefined) throw new Error("usage: pair --a DIR --b DIR [--target ID] [--pairs N] [--seconds S] [--latency]");
  const targetId = flag("--target") ?? "webshocket-msgpack";
  const pairs = Number(flag("--pairs") ?? 8);
  const seconds = Number(flag("--seconds") ?? 2);
  const latency = argv.includes("--latency");
  if (argv.includes("--inproc")) return inprocPairs(dirA, dirB, pairs, Number(flag("--calls") ?? 3_000_000));
  const rpc = RPC_TARGETS.find((t) => t.id === targetId);
  const fanout = FANOUT_TARGETS.find((t) => t.id === targetId);
  const target = rpc ?? fanout;
  if (target === undefined) throw new Error(`unknown target ${targetId}`);
  buildLoadgen();
  const script = (dir: string): string => {
    const file = join(resolve(dir), "apps", "bench", "dist", "servers", `${target.server}.js`);
    if (!existsSync(file)) throw new Error(`no ${target.server} bench server built at ${file} (that build may predate target ${target.id})`);
    return file;
  };
  const servers: Record<"a" | "b", ServerProcess> = {
    a: await startServer(target.server, { core: 0, script: script(dirA), env: parseEnv(flag("--env-a")) }),
    b: await startServer(target.server, { core: 0, script: script(dirB), env: parseEnv(flag("--env-b")) }),
  };
  const unit = rpc ? (latency ? "µs p50" : "CPU µs/call") : latency ? "wall µs/delivery" : "CPU µs/delivery";
  try {
    await runPairs(pairs, { label: target.id, digits: 3, unit }, async (side) => {
      const server = servers[side];
      const common = { port: server.port, serverPid: server.pid, endpoint: target.endpoint, core: 1 } as const;
      if (rpc) {
        const r = await runLoadgen({ ...common, mode: "rpc", spec: rpc.spec(), conns: latency ? 1 : 64, window: latency ? 1 : 16, busy: latency, warmup: 0.5, duration: seconds, timeout: 60 });
        if (r.exitCode !== 0 || !r.rate) throw new Error(`load generator failed: ${r.error || r.stderr}`);
        return latency ? (r.p50_us as number) : ((r.server_cpu as number) / r.rate) * 1e6;
      }
      const spec = (fanout as (typeof FANOUT_TARGETS)[number]).spec(1000);
      const r = await runLoadgen({ ...common, mode: "fanout", spec, conns: 1000, expect: 1000, rounds: 3, warmupRounds: 1, timeout: 300 });
      const cpu = (r.round_server_cpu_s ?? []).reduce((x, y) => x + y, 0);
      if (r.exitCode !== 0 || (r.round_seconds?.length ?? 0) !== 3) throw new Error(`load generator failed: ${r.error || r.stderr}`);
      const wall = (r.round_seconds ?? []).reduce((x, y) => x + y, 0);
      return ((latency ? wall : cpu) / 3e6) * 1e6;
    });
  } finally {
    await Promise.all([servers.a.stop(), servers.b.stop()]);
  }
}

/** How runPairs prints: the summary's label, decimals, and the unit (on the pair lines, `pairUnit` if given). */
interface PairFormat {
  label: string;
  digits: number;
  unit: string;
  pairUnit?: string;
}

/** Measures A and B `pairs` times in alternating order; prints every pair and the median of the per-pair ratios. */
async function runPairs(pairs: number, f: PairFormat, measure: (side: "a" | "b") => number | Promise<number>): Promise<void> {
  const figures: Record<"a" | "b", number[]> = { a: [], b: [] };
  for (let i = 0; i < pairs; i++) {
    const line: string[] = [];
    for (const side of pairOrder(i)) {
      const figure = await measure(side);
      figures[side].push(figure);
      line.push(`${side.toUpperCase()} ${figure.toFixed(f.digits)}`);
    }
    process.stdout.write(`pair ${i + 1}/${pairs}: ${line.join(", ")} ${f.pairUnit ?? f.unit}\n`);
  }
  process.stdout.write(
    `${f.label}: A median ${median(figures.a).toFixed(f.digits)}, B median ${median(figures.b).toFixed(f.digits)} ${f.unit}; ` +
      `B/A, median of the ${pairs} pairs: ${pairedRatio(figures.a, figures.b).toFixed(3)}\n`,
  );
}

/** `pair --inproc`: each build's inproc.js in a fresh process, alternated. */
function inprocPairs(dirA: string, dirB: string, pairs: number, calls: number): Promise<void> {
  return runPairs(pairs, { label: "in process", digits: 0, unit: "ns/call", pairUnit: "ns/call in process" }, (side) => {
    const script = join(resolve(side === "a" ? dirA : dirB), "apps", "bench", "dist", "src", "inproc.js");
    const out = execFileSync("taskset", ["-c", "0", process.execPath, script, "--json", "--calls", String(calls)], { encoding: "utf8" });
    return (JSON.parse(out) as { ns_per_call: number }).ns_per_call;
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
