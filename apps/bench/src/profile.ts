/**
 * Profiles the webshocket bench server under one scenario: starts it with
 * `node --cpu-prof`, drives it with the load generator, stops it (the profile is
 * written on exit) and prints where the time went — self and inclusive time per
 * function, mapped back to the TypeScript sources through the source maps.
 *
 *   pnpm --filter @webshocket/bench run profile [rpc-msgpack|rpc-json|fanout-exact|fanout-wildcard|fanout-predicate|stream]
 *        [--engine uws|ws] [--seconds S] [--top N]
 *
 * --engine ws profiles the server on the ws engine (servers/webshocket-ws.ts); the default is native uWS.
 *
 * Profiles land in apps/bench/profiles/ (open them in Chrome DevTools or speedscope).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { SourceMap } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { BENCH_DIR, buildLoadgen, runLoadgen, type LoadgenOptions } from "./loadgen.js";
import { startServer } from "./serverProcess.js";
import { ENDPOINTS, webshocketAddSpec, webshocketFanoutSpec, webshocketStreamSpec } from "./specs.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const REPO = join(BENCH_DIR, "..", "..");
const maps = new Map<string, SourceMap | null>();

/** "packages/server/src/rpc/dispatch.ts:42" for a frame of a built file with a source map. */
function location(frame: ProfileNode["callFrame"]): string {
  if (!frame.url) return "(native)";
  if (!frame.url.startsWith("file://")) return `${frame.url}:${frame.lineNumber + 1}`;
  const file = fileURLToPath(frame.url);
  let map = maps.get(file);
  if (map === undefined) {
    map = null;
    try {
      if (existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8")));
    } catch {
      map = null;
    }
    maps.set(file, map);
  }
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; originalLine?: number } | undefined;
  if (entry?.originalSource) {
    const src = entry.originalSource.startsWith("file://") ? fileURLToPath(entry.originalSource) : join(file, "..", entry.originalSource);
    return `${relative(REPO, src)}:${(entry.originalLine ?? 0) + 1}`;
  }
  return `${relative(REPO, file)}:${frame.lineNumber + 1}`;
}

/** Self and inclusive milliseconds per function (name + location). */
export function summarize(profile: CpuProfile, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const key = (n: ProfileNode): string => `${n.callFrame.functionName || "(anonymous)"}  ${location(n.callFrame)}`;
  const selfByKey = new Map<string, number>();
  const totalByKey = new Map<string, number>();
  const total = (n: ProfileNode, onStack: Set<string>): number => {
    let t = self.get(n.id) ?? 0;
    const k = key(n);
    selfByKey.set(k, (selfByKey.get(k) ?? 0) + t);
    const fresh = !onStack.has(k);
    if (fresh) onStack.add(k);
    for (const c of n.children ?? []) t += total(byId.get(c) as ProfileNode, onStack);
    if (fresh) {
      onStack.delete(k);
      totalByKey.set(k, (totalByKey.get(k) ?? 0) + t);
    }
    return t;
  };
  const root = profile.nodes[0] as ProfileNode;
  const all = total(root, new Set());
  const idle = [...selfByKey].filter(([k]) => k.startsWith("(idle)") || k.startsWith("(program)")).reduce((s, [, v]) => s + v, 0);
  const busy = all - idle;
  const table = (m: Map<string, number>, title: string): string[] => [
    `${title} (of ${(busy / 1000).toFixed(0)} ms busy, ${(idle / 1000).toFixed(0)} ms idle/program)`,
    ...[...m]
      .filter(([k]) => !k.startsWith("(root)") && !k.startsWith("(idle)") && !k.startsWith("(program)"))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `  ${((100 * v) / busy).toFixed(1).padStart(5)}%  ${(v / 1000).toFixed(1).padStart(8)} ms  ${k}`),
  ];
  return [...table(selfByKey, "self time"), "", ...table(totalByKey, "inclusive time"), ""].join("\n");
}

const SCENARIOS: Record<string, (port: number, pid: number, seconds: number) => LoadgenOptions> = {
  "rpc-msgpack": (port, pid, s) => ({ mode: "rpc", port, serverPid: pid, endpoint: ENDPOINTS.webshocketMsgpack, spec: webshocketAddSpec(false), conns: 64, window: 16, warmup: 1, duration: s }),
  "rpc-json": (port, pid, s) => ({ mode: "rpc", port, serverPid: pid, endpoint: ENDPOINTS.webshocketJson, spec: webshocketAddSpec(true), conns: 64, window: 16, warmup: 1, duration: s }),
  "fanout-exact": (port, pid, s) => fanout("exact", port, pid, s),
  "fanout-wildcard": (port, pid, s) => fanout("wildcard", port, pid, s),
  "fanout-predicate": (port, pid, s) => fanout("predicate", port, pid, s),
  stream: (port, pid, s) => ({ mode: "stream", port, serverPid: pid, endpoint: ENDPOINTS.webshocketMsgpack, spec: webshocketStreamSpec(200_000), expect: 200_001, rounds: Math.max(1, Math.round(s)), warmupRounds: 1, timeout: 120 }),
};

function fanout(mode: "exact" | "wildcard" | "predicate", port: number, pid: number, seconds: number): LoadgenOptions {
  return { mode: "fanout", port, serverPid: pid, endpoint: ENDPOINTS.webshocketMsgpack, spec: webshocketFanoutSpec(mode, 200), conns: 1000, expect: 200, rounds: Math.max(1, Math.round(seconds)), warmupRounds: 1, timeout: 180 };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const scenario = argv.find((a, i) => !a.startsWith("--") && !["--engine", "--seconds", "--top"].includes(argv[i - 1] ?? "")) ?? "rpc-msgpack";
  const opt = (name: string, d: number): number => {
    const i = argv.indexOf(name);
    return i === -1 ? d : Number(argv[i + 1]);
  };
  const engineAt = argv.indexOf("--engine");
  const engine = engineAt === -1 ? "uws" : argv[engineAt + 1];
  if (engine !== "uws" && engine !== "ws") throw new Error(`--engine takes uws or ws, got ${String(engine)}`);
  const make = SCENARIOS[scenario];
  if (make === undefined) throw new Error(`unknown scenario ${scenario}; one of ${Object.keys(SCENARIOS).join(", ")}`);
  buildLoadgen();
  const dir = join(BENCH_DIR, "profiles");
  mkdirSync(dir, { recursive: true });
  const serverName = engine === "ws" ? "webshocket-ws" : "webshocket";
  const name = `${serverName}-${scenario}-${Date.now()}.cpuprofile`;
  const server = await startServer(serverName, { core: 0, nodeFlags: ["--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`] });
  try {
    const r = await runLoadgen({ ...make(server.port, server.pid, opt("--seconds", 5)), core: 1 });
    process.stderr.write(`load generator: ${JSON.stringify({ ...r, stderr: undefined, dumps: undefined })}\n`);
  } finally {
    await server.stop();
  }
  const file = join(dir, name);
  if (!readdirSync(dir).includes(name)) throw new Error(`no profile written at ${file}`);
  process.stdout.write(`profile: ${relative(REPO, file)}\n\n`);
  process.stdout.write(summarize(JSON.parse(readFileSync(file, "utf8")) as CpuProfile, opt("--top", 25)));
}

await main();
