// Soak test (not in CI): mixed RPC, streaming, publish, broadcast and connect/disconnect traffic
// against one server process for --duration seconds (default 600). Samples the server's RSS and
// post-GC heap every --interval seconds, checks for leaked connections, channels and timers once
// the traffic stops, and writes a markdown report (default apps/bench/SOAK.md).
//
//   node apps/bench/soak/soak.mjs [--duration 600] [--interval 30] [--out apps/bench/SOAK.md]
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { createPacket, msgpackCodec, PacketSource, SUBPROTOCOL } from "@webshocket/protocol";
import WebSocket from "ws";

const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i === -1 ? dflt : process.argv[i + 1]; };
const duration = Number(arg("duration", 600)) * 1000;
const interval = Number(arg("interval", 30)) * 1000;
const out = arg("out", fileURLToPath(new URL("../SOAK.md", import.meta.url)));

const server = spawn(process.execPath, ["--expose-gc", fileURLToPath(new URL("./soakServer.mjs", import.meta.url))], { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise((resolve, reject) => {
  let text = "";
  server.stdout.on("data", (d) => { text += d; const m = /listening on (\S+)/.exec(text); if (m) resolve(m[1]); });
  server.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
});

/** A msgpack client with call(). */
function connect() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, [SUBPROTOCOL]);
    const pending = new Map();
    let seq = 0;
    ws.on("message", (data) => {
      const p = msgpackCodec.decode(new Uint8Array(data));
      if (p.rpc?.type !== "response") return;
      const entry = pending.get(p.rpc.call_id);
      if (!entry) return;
      if (p.rpc.is_stream && !p.rpc.is_end) return;
      pending.delete(p.rpc.call_id);
      entry(p.rpc);
    });
    ws.on("close", () => { for (const r of pending.values()) r({ error: "closed" }); pending.clear(); });
    ws.once("error", reject);
    ws.once("open", () => resolve({
      ws,
      call(method, ...args) {
        const id = `c${++seq}`;
        ws.send(msgpackCodec.encode(createPacket(PacketSource.RPC, { rpc: { type: "request", method, args, kwargs: {}, call_id: id } })));
        return new Promise((r) => pending.set(id, r));
      },
      close() { ws.close(); return new Promise((r) => ws.once("close", r)); },
    }));
  });
}

const monitor = await connect();
const samples = [];
const counts = { rpc: 0, errors: 0, streams: 0, publishes: 0, connects: 0 };
const started = Date.now();
async function sample() {
  const s = (await monitor.call("stats")).response;
  samples.push({ t: Math.round((Date.now() - started) / 1000), ...s });
  console.log(JSON.stringify(samples.at(-1)));
}
await sample();

const stop = () => Date.now() - started >= duration;
/** Steady traffic, not a stress test: each loop iteration waits a few ms (the flood test covers stress). */
const pace = () => new Promise((r) => setTimeout(r, 5));
async function steady(i) {
  const c = await connect();
  counts.connects++;
  await c.call("login", `user${i}`, i % 5 === 0);
  await c.call("join", `room.${i % 10}`);
  if (i % 3 === 0) await c.call("join", "room.*");
  while (!stop()) {
    const r = await c.call("add", i, 1);
    counts.rpc++;
    if (r.response !== i + 1) counts.errors++;
    await c.call("say", `room.${i % 10}`, "hello");
    counts.publishes++;
    if (i % 4 === 0) { await c.call("ticks", 20); counts.streams++; }
    if (i % 10 === 0) await c.call("announce", "news");
    await pace();
  }
  await c.close();
}
async function churn() {
  while (!stop()) {
    const c = await connect();
    counts.connects++;
    await c.call("join", "churn");
    await c.call("add", 1, 2);
    counts.rpc++;
    await c.close();
    await pace();
  }
}
const timer = setInterval(() => void sample(), interval);
await Promise.all([...Array.from({ length: 40 }, (_, i) => steady(i)), churn(), churn()]);
clearInterval(timer);
await sample();
const last = samples.at(-1);
const first = samples[0];
const afterWarmup = samples[Math.min(1, samples.length - 1)];
await monitor.close();
server.kill("SIGTERM");

const mb = (b) => (b / 1024 / 1024).toFixed(1);
const leaks = [];
if (last.clients !== 1) leaks.push(`${last.clients - 1} connections still registered`);
if (last.channels !== 0 || last.patterns !== 0) leaks.push(`${last.channels} channels / ${last.patterns} patterns left`);
if (last.timers > first.timers) leaks.push(`${last.timers - first.timers} timers more than at start`);
const report = `# Soak report

Command: \`node apps/bench/soak/soak.mjs --duration ${duration / 1000} --interval ${interval / 1000}\`
Machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, Node ${process.version}. Date: ${new Date().toISOString()}.

Traffic: 40 steady msgpack clients (RPC \`add\`, publish to one of 10 rooms with exclude, 1 in 3 also on
\`room.*\`, 1 in 4 runs a 20-value streaming RPC per loop, 1 in 10 broadcasts with an \`Is("is_admin")\`
predicate) plus 2 loops connecting, joining a channel, calling and disconnecting.

Totals: ${counts.rpc} RPC calls (${counts.errors} wrong answers), ${counts.publishes} publishes, ${counts.streams} streams, ${counts.connects} connections opened.

| t (s) | RSS (MB) | heap after GC (MB) | clients | channels | patterns | timers |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${samples.map((s) => `| ${s.t} | ${mb(s.rss)} | ${mb(s.heapUsed)} | ${s.clients} | ${s.channels} | ${s.patterns} | ${s.timers} |`).join("\n")}

Heap after GC: ${mb(afterWarmup.heapUsed)} MB after warm-up → ${mb(last.heapUsed)} MB at the end (traffic stopped, only the monitor connected).
Leaks: ${leaks.length === 0 ? "none (no connections, channels or timers left behind)" : leaks.join("; ")}.
`;
writeFileSync(out, report);
console.log(report);
process.exit(leaks.length === 0 ? 0 : 1);
