/**
 * The server's per-call JS path measured in process: webshocket's uWS `message` callback, called directly
 * with 64 mock sockets and the bench's `add(a, b)` requests, 1,024 messages per event-loop turn (as uWS hands
 * them over under the 64×16 load), the answers flushed by the server's outboxes into a mock `send`. No
 * sockets, kernel or uWS: decode → dispatch → call → encode → outbox, in ns per call. Far steadier than the
 * socket runs on a noisy machine, so `pair --inproc` compares two builds' JS with it; what it gains shows up
 * diluted in the full runs, where uWS and the kernel take over half of the server's CPU.
 *
 *   node apps/bench/dist/src/inproc.js [--calls N] [--json] [--target ID]
 *
 * `--target` takes a webshocket RPC target on uWS (scenarios.ts; default webshocket-msgpack): its requests,
 * as that target's clients write them (a JSON target's mock sockets are JSON clients).
 *
 * It loads the server's internal modules from this checkout's packages/server/dist (not the package's public
 * API), so it always measures the build it sits in.
 */
import { MemoryRateLimitStore, RateLimiter } from "@webshocket/guards";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { BenchHandler } from "../servers/webshocket.js";
import { BENCH_DIR } from "./loadgen.js";
import { ENDPOINTS } from "./specs.js";
import { RPC_TARGETS } from "./scenarios.js";

/** The slice of a uWS socket that the server's behaviour calls. */
interface MockSocket {
  getUserData(): { remoteAddress: string; clientType: string; initialState: undefined };
  send(): number;
  cork(f: () => void): void;
  getBufferedAmount(): number;
  end(): void;
  subscribe(): boolean;
  isSubscribed(): boolean;
}

interface Behavior {
  open(ws: MockSocket, data: ReturnType<MockSocket["getUserData"]>): void;
  message(ws: MockSocket, message: ArrayBuffer, isBinary: boolean): void;
}

type Ctor = new (...args: unknown[]) => unknown;

/** The server build's internal modules, from packages/server/dist next to this app. */
async function loadServer(): Promise<{ behavior: (handler: BenchHandler) => Behavior }> {
  const dist = join(BENCH_DIR, "..", "..", "packages", "server", "dist");
  const load = async <T>(file: string): Promise<T> => (await import(pathToFileURL(join(dist, file)).href)) as T;
  const { Runtime } = await load<{ Runtime: Ctor }>("runtime.js");
  const { socketBehavior } = await load<{ socketBehavior: (rt: unknown, hooks: unknown) => Behavior }>("socketBehavior.js");
  const { resolveOptions } = await load<{ resolveOptions: (o: unknown) => unknown }>("options.js");
  const { silentLogger } = await load<{ silentLogger: unknown }>("logger.js");
  const { LocalBroker } = await load<{ LocalBroker: Ctor }>("broker/localBroker.js");
  // BENCH_METRICS=1: with the Prometheus metrics middleware installed (its call hooks and message observers).
  type Metrics = { setup(host: unknown): void };
  let chain: unknown;
  let metrics: Metrics | undefined;
  if (process.env.BENCH_METRICS === "1") {
    const { buildChain } = await load<{ buildChain: (list: unknown[]) => unknown }>("middleware/chain.js");
    const { prometheusMetrics } = await load<{ prometheusMetrics: () => Metrics }>("metrics/index.js");
    metrics = prometheusMetrics();
    chain = buildChain([metrics]);
  }
  return {
    behavior(handler) {
      const rt = new Runtime(handler, resolveOptions({ port: 0, handler }), new LocalBroker(), silentLogger, new RateLimiter(new MemoryRateLimitStore()), chain) as { observer?: unknown };
      metrics?.setup({ route() {}, observe: (o: unknown) => void (rt.observer = o), figures: {} });
      return socketBehavior(rt, { accepting: () => true, opened() {}, closed() {} });
    },
  };
}

/** Messages the mock sockets were asked to send. */
let sent = 0;

function mockSocket(json: boolean): MockSocket {
  const data = { remoteAddress: "127.0.0.1", clientType: json ? "Generic" : "Framework", initialState: undefined };
  return {
    getUserData: () => data,
    send: () => (sent++, 1),
    cork: (f) => f(),
    getBufferedAmount: () => 0,
    end() {},
    subscribe: () => true,
    isSubscribed: () => false,
  };
}

/**
 * Runs `calls` add() calls (rounded up to whole turns of 1,024) through the message callback; returns ns per call.
 * @throws when not every call was answered (the figure would not be what it claims to be).
 */
export async function measureInProcess(calls: number, targetId = "webshocket-msgpack"): Promise<number> {
  const target = RPC_TARGETS.find((t) => t.id === targetId && t.server === "webshocket");
  if (target === undefined) throw new Error(`not a webshocket RPC target on uWS: ${targetId}`);
  const json = target.endpoint === ENDPOINTS.webshocketJson;
  const { behavior } = await loadServer();
  const b = behavior(new BenchHandler());
  const sockets = Array.from({ length: 64 }, () => mockSocket(json));
  for (const ws of sockets) b.open(ws, ws.getUserData());
  const frames = (target.spec().req ?? []).map((f) => {
    const ab = new ArrayBuffer(f.payload.length);
    new Uint8Array(ab).set(f.payload);
    return ab;
  });
  // uWS detaches every message's ArrayBuffer after its callback; V8 then runs typed-array code in another mode.
  const detached = new ArrayBuffer(8);
  structuredClone(detached, { transfer: [detached] });
  const turn = (from: number): Promise<void> => {
    for (let i = from; i < from + 1024; i++) b.message(sockets[i & 63] as MockSocket, frames[i & 63] as ArrayBuffer, !json);
    return new Promise((r) => setImmediate(r));
  };
  for (let i = 0; i < calls / 2; i += 1024) await turn(i); // warm-up: half as many calls again
  sent = 0;
  const t0 = process.hrtime.bigint();
  let made = 0;
  for (; made < calls; made += 1024) await turn(made);
  const ns = Number(process.hrtime.bigint() - t0) / made;
  if (sent !== made) throw new Error(`${made} calls made but ${sent} answers sent`);
  return ns;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const argv = process.argv.slice(2);
  const i = argv.indexOf("--calls");
  const calls = i === -1 ? 3_000_000 : Number(argv[i + 1]);
  const t = argv.indexOf("--target");
  const ns = await measureInProcess(calls, t === -1 ? undefined : argv[t + 1]);
  process.stdout.write(argv.includes("--json") ? `${JSON.stringify({ ns_per_call: ns })}\n` : `${ns.toFixed(0)} ns per call\n`);
}
