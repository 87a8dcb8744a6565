// Cross-node fan-out (not in CI): a redis-server and 2 reference-server nodes (apps/cluster-demo).
// A publisher on node A calls publish("room", 64 bytes) --publishes times; --subscribers clients
// subscribed to "room" sit on node A (single node, Redis still in the path for other nodes) or on
// node B (every delivery crosses Redis). Reports deliveries/s, median of --runs, into apps/bench/CLUSTER.md.
//
//   node apps/bench/cluster/crossNode.mjs [--subscribers 200] [--publishes 1000] [--runs 3]
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { startCluster } from "@webshocket/cluster-demo";
import { createPacket, msgpackCodec, PacketSource, SUBPROTOCOL } from "@webshocket/protocol";
import WebSocket from "ws";

const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i === -1 ? dflt : Number(process.argv[i + 1]); };
const subscribers = arg("subscribers", 200);
const publishes = arg("publishes", 1000);
const runs = arg("runs", 3);
const payload = "x".repeat(64);
const request = (method, args, id) => msgpackCodec.encode(createPacket(PacketSource.RPC, { rpc: { type: "request", method, args, kwargs: {}, call_id: id } }));

/** Opens a msgpack socket and waits until `join(channel)` has been answered. */
async function subscriber(url, channel, onDelivery) {
  const ws = new WebSocket(url, [SUBPROTOCOL]);
  await new Promise((r) => ws.once("open", r));
  const joined = new Promise((resolve) => {
    ws.on("message", (data) => {
      const p = msgpackCodec.decode(new Uint8Array(data));
      if (p.source === PacketSource.CHANNEL) onDelivery();
      else if (p.rpc?.call_id === "join") resolve();
    });
  });
  ws.send(request("join", [channel], "join"));
  await joined;
  return ws;
}

async function run(cluster, subscriberNode, channel) {
  const expected = subscribers * publishes;
  let delivered = 0;
  let done;
  const all = new Promise((r) => (done = r));
  const subs = await Promise.all(Array.from({ length: subscribers }, () => subscriber(cluster.urls[subscriberNode], channel, () => ++delivered === expected && done())));
  const pub = new WebSocket(cluster.urls[0], [SUBPROTOCOL]);
  await new Promise((r) => pub.once("open", r));
  const frames = Array.from({ length: publishes }, (_, i) => request("publish", [channel, payload], `p${i}`));
  const t0 = process.hrtime.bigint();
  for (const f of frames) pub.send(f);
  const timeout = setTimeout(() => done(), 120_000);
  await all;
  clearTimeout(timeout);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  for (const ws of [...subs, pub]) ws.terminate();
  if (delivered !== expected) throw new Error(`only ${delivered} of ${expected} deliveries arrived`);
  return expected / seconds;
}

const cluster = await startCluster({ nodes: 2, basePort: 0 });
const results = { local: [], cross: [] };
try {
  for (let i = 0; i < runs; i++) {
    results.local.push(await run(cluster, 0, `local-${i}`));
    results.cross.push(await run(cluster, 1, `cross-${i}`));
  }
} finally {
  await cluster[Symbol.asyncDispose]();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => Math.round(x).toLocaleString("en-US");
const row = (name, xs) => `| ${name} | ${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}) |`;
const report = `# Cross-node fan-out

Command: \`node apps/bench/cluster/crossNode.mjs --subscribers ${subscribers} --publishes ${publishes} --runs ${runs}\`
Machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, Node ${process.version}. Date: ${new Date().toISOString()}.

A redis-server and 2 reference-server nodes (apps/cluster-demo) on one machine. A client on node A pipelines
${publishes} \`publish("room", 64 bytes)\` RPCs; ${subscribers} msgpack subscribers of the channel sit on node A (single node)
or node B (each publish crosses Redis once, then fans out on node B). Deliveries/s from the first publish to the
last delivery, median of ${runs} (min–max). The subscribers are Node \`ws\` clients in this one process, which
bounds both figures; use it to compare the two rows, not as an absolute ceiling (apps/bench's C load generator
gives the single-node ceiling in RESULTS.md).

| subscribers on | deliveries/s |
| --- | ---: |
${row("node A (same node as the publisher)", results.local)}
${row("node B (through Redis)", results.cross)}
`;
writeFileSync(fileURLToPath(new URL("../CLUSTER.md", import.meta.url)), report);
console.log(report);
