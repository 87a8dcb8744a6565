// Codec.decodeRequest (the server's request fast path) per request layout, in process: ns per decode.
// Run after the build:  node bench/requestLayouts.bench.js [--rounds 5] [--only json|msgpack] [--layouts a,b] [--base DIR]
// Each layout is measured in a process of its own (as a server sees mostly one sender's layout): 11 timed
// runs of 100,000 decodes after a warm-up, median. The table gives the median over rounds (processes) and
// its ratio to our own client's layout. With `--base DIR` (another checkout's packages/protocol, built),
// each process loads both builds and alternates their runs, so both see the same machine load: the table
// adds the base's figure and the median of the per-run ratios (this / base), steadier on a busy machine.
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { pack as msgpackrPack } from "msgpackr";

const here = fileURLToPath(new URL("..", import.meta.url));
const load = (dir) => import(pathToFileURL(resolve(dir, "dist", "index.js")).href);
const { createRequest, jsonCodec, msgpackCodec } = await load(here);
const utf8 = (s) => new TextEncoder().encode(s);
const ID = "6f1c2a4e-8b0d-4c3e-9a57-0d2b1e4f5a60";
const TS = 1_700_000_000.123;
const request = (kwargs = {}) => ({ ...createRequest("add", [10, 20], kwargs, ID), timestamp: TS });
const rpcOf = (p) => p.rpc;

/** Layouts: [codec, bytes, baseline layout for the ratio]. */
const LAYOUTS = {
  "json client": ["json", () => jsonCodec.encode(request()), "json client"],
  "json seed snippet": ["json", () => utf8(JSON.stringify({ rpc: { type: "request", method: "add", args: [10, 20], kwargs: {} }, source: 5 })), "json client"],
  "json json.dumps": ["json", () => utf8(`{"source": 5, "data": null, "rpc": {"type": "request", "method": "add", "args": [10, 20], "kwargs": {}, "call_id": "${ID}"}, "channel": null, "timestamp": ${TS}, "correlation_id": null}`), "json client"],
  "json reordered (call_id first, rpc last)": ["json", () => utf8(JSON.stringify({ timestamp: TS, source: 5, rpc: { call_id: ID, kwargs: {}, args: [10, 20], method: "add", type: "request" } })), "json client"],
  "json indented, optionals absent": ["json", () => utf8(JSON.stringify({ source: 5, rpc: { type: "request", method: "add", args: [10, 20], call_id: ID } }, null, 2)), "json client"],
  "json client, kwargs": ["json", () => jsonCodec.encode(request({ a: 10, b: 20 })), "json client, kwargs"],
  "json reordered, kwargs": ["json", () => utf8(JSON.stringify({ rpc: { kwargs: { a: 10, b: 20 }, method: "add", call_id: ID, type: "request" }, timestamp: TS, source: 5 })), "json client, kwargs"],
  "msgpack client": ["msgpack", () => msgpackCodec.encode(request()), "msgpack client"],
  "msgpack msgpackr pack": ["msgpack", () => msgpackrPack({ source: 5, data: null, rpc: rpcOf(request()), channel: null, timestamp: TS, correlation_id: null }), "msgpack client"],
  "msgpack reordered, no call_id": ["msgpack", () => msgpackCodec.encodeValue({ rpc: { method: "add", args: [10, 20], kwargs: {}, type: "request" }, source: 5 }), "msgpack client"],
  "msgpack reordered (call_id first, rpc last)": ["msgpack", () => msgpackCodec.encodeValue({ timestamp: TS, source: 5, rpc: { call_id: ID, kwargs: {}, args: [10, 20], method: "add", type: "request" } }), "msgpack client"],
  "msgpack client, kwargs": ["msgpack", () => msgpackCodec.encode(request({ a: 10, b: 20 })), "msgpack client, kwargs"],
  "msgpack msgpackr pack, kwargs, int timestamp": ["msgpack", () => msgpackrPack({ rpc: rpcOf(request({ a: 10, b: 20 })), source: 5, timestamp: 1_700_000_000 }), "msgpack client, kwargs"],
};

/** Times `name`'s decodes with each build in `builds` (alternating) and prints their medians and ratio. */
function child(name, builds) {
  const [codecName, make] = LAYOUTS[name];
  const bytes = make();
  const codecs = builds;
  for (const codec of codecs) {
    const check = codec[codecName].decodeRequest(bytes);
    if (check === undefined || check.method !== "add") throw new Error(`${name}: not read by the fast path`);
  }
  const N = 100_000;
  let sink = 0;
  const run = (codec) => {
    const t = process.hrtime.bigint();
    for (let i = 0; i < N; i++) sink += codec.decodeRequest(bytes).method.length;
    return Number(process.hrtime.bigint() - t) / N;
  };
  const times = codecs.map(() => []);
  for (let r = 0; r < 16; r++) {
    for (let i = 0; i < codecs.length; i++) {
      const ns = run(codecs[i][codecName]);
      if (r >= 5) times[i].push(ns); // the first 5: warm-up
    }
  }
  const ratios = times[0].map((t, r) => (times[1] === undefined ? 1 : t / times[1][r]));
  if (sink === 1) console.error("");
  console.log(JSON.stringify({ ns: times.map(median), ratio: median(ratios), bytes: bytes.length }));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const arg = (flag, fallback) => {
  const i = process.argv.indexOf(flag);
  return i < 0 ? fallback : process.argv[i + 1];
};

if (process.argv[2] === "--child") {
  const builds = await Promise.all(process.argv.slice(4).map(async (d) => { const m = await load(d); return { json: m.jsonCodec, msgpack: m.msgpackCodec }; }));
  child(process.argv[3], builds);
}
else {
  const rounds = Number(arg("--rounds", "7"));
  const only = arg("--only", undefined);
  const picked = arg("--layouts", undefined)?.split(",");
  const names = Object.keys(LAYOUTS).filter((n) => (only === undefined || LAYOUTS[n][0] === only) && (picked === undefined || picked.some((p) => n.includes(p))));
  const baseDir = arg("--base", undefined);
  const dirs = baseDir === undefined ? [here] : [here, resolve(baseDir)];
  const results = Object.fromEntries(names.map((n) => [n, { ns: [], base: [], ratio: [] }]));
  const sizes = {};
  const self = fileURLToPath(import.meta.url);
  for (let r = 0; r < rounds; r++) {
    for (const n of names) {
      const out = JSON.parse(execFileSync(process.execPath, [self, "--child", n, ...dirs], { encoding: "utf8" }));
      results[n].ns.push(out.ns[0]);
      if (baseDir !== undefined) results[n].base.push(out.ns[1]), results[n].ratio.push(out.ratio);
      sizes[n] = out.bytes;
    }
  }
  console.log(`node ${process.version}, ${rounds} rounds, one process per layout and round; median ns per decodeRequest`);
  const extra = baseDir === undefined ? ["", ""] : [" base ns | this / base |", " ---: | ---: |"];
  console.log(`| layout | bytes | ns | × our client's |${extra[0]}`);
  console.log(`| --- | ---: | ---: | ---: |${extra[1]}`);
  for (const n of names) {
    const m = median(results[n].ns);
    const base = results[LAYOUTS[n][2]]?.ns;
    const ratio = base === undefined ? "" : `${(m / median(base)).toFixed(2)}×`;
    const b = baseDir === undefined ? "" : ` ${median(results[n].base).toFixed(0)} | ${median(results[n].ratio).toFixed(2)} |`;
    console.log(`| ${n} | ${sizes[n]} | ${m.toFixed(0)} | ${ratio} |${b}`);
  }
}
