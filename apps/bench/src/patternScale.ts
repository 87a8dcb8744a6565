/**
 * In process, on the server's channel registry alone (no sockets): the cost of a publish to a channel name
 * seen for the first time, with 10, 10,000 and 100,000 distinct `user.<i>.*` patterns subscribed (one
 * subscriber each): the median of 7 rounds in a process, and of `--runs` processes per size, interleaved. A fresh name misses the match cache, so each publish finds its patterns through the
 * index and matches the candidates; the target is 100,000 patterns within 2× of 10 (issue 19: the registry
 * scanned every pattern, 9.5 µs with 10 and 62 ms with 100,000).
 *
 *   node apps/bench/dist/src/patternScale.js [--publishes N] [--runs R] [--json]
 *
 * It loads ChannelRegistry from this checkout's packages/server/dist (not the package's public API).
 */
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { BENCH_DIR } from "./loadgen.js";

interface Registry {
  subscribe(conn: unknown, names: readonly string[], max: number): boolean;
  recipients(channel: string): ReadonlySet<unknown>;
}

type RegistryCtor = new () => Registry;

async function loadRegistry(): Promise<RegistryCtor> {
  const file = join(BENCH_DIR, "..", "..", "packages", "server", "dist", "channels", "channelRegistry.js");
  const { ChannelRegistry } = (await import(pathToFileURL(file).href)) as { ChannelRegistry: RegistryCtor };
  return ChannelRegistry;
}

/** The slice of a connection the registry uses. */
function conn(i: number): unknown {
  const channelSet = new Set<string>();
  return { uid: `c${i}`, channelSet, subscribedTo: (n: string) => channelSet.has(n) };
}

/** µs per publish to a fresh channel name with `patterns` distinct `user.<i>.*` patterns subscribed. */
export async function publishCost(patterns: number, publishes: number): Promise<{ usPerPublish: number; delivered: number }> {
  const ChannelRegistry = await loadRegistry();
  const registry = new ChannelRegistry();
  for (let i = 0; i < patterns; i++) registry.subscribe(conn(i), [`user.${i}.*`], 5);
  let delivered = 0;
  const publishTo = (round: number, k: number) => {
    // Every name is new; half of them reach one subscriber (user.<k>.<round>), half reach none.
    const name = k % 2 === 0 ? `user.${k % patterns}.r${round}` : `room.${k}.r${round}`;
    delivered += registry.recipients(name).size;
  };
  for (let k = 0; k < 2000; k++) publishTo(-1, k); // warm-up
  // Median of 7 rounds (the machine is shared; a round can catch a GC or another process).
  const rounds: number[] = [];
  for (let round = 0; round < 7; round++) {
    delivered = 0;
    const started = process.hrtime.bigint();
    for (let k = 0; k < publishes; k++) publishTo(round, k);
    rounds.push(Number(process.hrtime.bigint() - started) / publishes / 1000);
  }
  return { usPerPublish: rounds.sort((a, b) => a - b)[3]!, delivered };
}

/** Runs one size in a child process (its own heap) and reads back µs per publish. */
function runOne(patterns: number, publishes: number): number {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--one", String(patterns), "--publishes", String(publishes)], { encoding: "utf8" });
  return (JSON.parse(out) as { us_per_publish: number }).us_per_publish;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const argv = process.argv.slice(2);
  const arg = (name: string, dflt: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : dflt);
  const publishes = arg("--publishes", 20_000);
  if (argv.includes("--one")) {
    const patterns = arg("--one", 10);
    const { usPerPublish, delivered } = await publishCost(patterns, publishes);
    // Each even-numbered publish reaches exactly one subscriber; anything else is a matching bug.
    if (delivered !== Math.ceil(publishes / 2)) throw new Error(`${patterns} patterns: delivered ${delivered} of ${Math.ceil(publishes / 2)}`);
    process.stdout.write(`${JSON.stringify({ us_per_publish: usPerPublish })}\n`);
  } else {
    // Sizes interleaved, each run in a fresh process, `--runs` times (5); the medians are reported.
    const sizes = [10, 10_000, 100_000];
    const runs = arg("--runs", 5);
    const samples = new Map<number, number[]>(sizes.map((n) => [n, []]));
    for (let r = 0; r < runs; r++) for (const n of sizes) samples.get(n)!.push(runOne(n, publishes));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const rows = sizes.map((patterns) => ({ patterns, us_per_publish: median(samples.get(patterns)!) }));
    const ratio = rows[2]!.us_per_publish / rows[0]!.us_per_publish;
    if (argv.includes("--json")) process.stdout.write(`${JSON.stringify({ rows, ratio_100k_to_10: ratio })}\n`);
    else {
      for (const r of rows) process.stdout.write(`${String(r.patterns).padStart(7)} patterns: ${r.us_per_publish.toFixed(2)} µs per publish to a fresh channel (median of ${runs} processes)\n`);
      process.stdout.write(`100,000 / 10: ${ratio.toFixed(2)}× (target ≤ 2×)\n`);
    }
  }
}
