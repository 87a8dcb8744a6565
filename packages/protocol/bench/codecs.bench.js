// Codec throughput: encode and decode of a typical RPC request and response,
// msgpack and JSON. Run after the build:  pnpm bench   (node bench/codecs.bench.js)
// Each figure is the median of 3 runs of ~1 s (BENCH_MS to change) after a warm-up.
import { createRequest, createResponse, jsonCodec, msgpackCodec, randomId } from "../dist/index.js";

const RUN_MS = Number(process.env.BENCH_MS ?? 1000);
const RUNS = 3;
let sink = 0;

/** Calls fn in batches for ~ms milliseconds; returns calls per second. */
function measure(fn, ms) {
  let calls = 0;
  let batch = 256;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(ms * 1e6));
  let now = start;
  while (now < end) {
    for (let i = 0; i < batch; i++) sink ^= fn() ? 1 : 0;
    calls += batch;
    now = process.hrtime.bigint();
    if (batch < 65536) batch *= 2;
  }
  return calls / (Number(now - start) / 1e9);
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function bench(fn) {
  measure(fn, Math.min(300, RUN_MS)); // warm-up: let the JIT settle
  return median(Array.from({ length: RUNS }, () => measure(fn, RUN_MS)));
}

const callId = randomId();
const timestamp = 1_700_000_000.123; // fixed, so message sizes do not vary between runs
const messages = {
  "request add(10, 20)": { ...createRequest("add", [10, 20], {}, callId), timestamp },
  "response 30": { ...createResponse(callId, 30), timestamp },
};

const rows = [];
for (const codec of [msgpackCodec, jsonCodec]) {
  for (const [label, packet] of Object.entries(messages)) {
    const bytes = codec.encode(packet);
    const encode = bench(() => codec.encode(packet));
    const decode = bench(() => codec.decode(bytes));
    const roundTrip = bench(() => codec.decode(codec.encode(packet)));
    rows.push([codec.name, label, String(bytes.length), fmt(encode), fmt(decode), fmt(roundTrip)]);
  }
}

function fmt(opsPerSecond) {
  return Math.round(opsPerSecond).toLocaleString("en-US");
}

const header = ["codec", "message", "bytes", "encode ops/s", "decode ops/s", "encode+decode ops/s"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
console.log(`node ${process.version}, ${RUNS} runs of ${RUN_MS} ms each, median`);
console.log(line(header));
console.log(`|${widths.map((w, i) => (i < 2 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`);
for (const r of rows) console.log(line(r));
if (sink === 42) console.log(""); // keep results alive
