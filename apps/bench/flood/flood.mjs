// Connect-storm benchmark (not in CI): do RPCs of existing clients starve while 10,000 new
// connections arrive at once? Measures round trips of 20 connected clients (1 call in flight each)
// before, during and after a storm of 10,200 handshakes (400 at a time) against a server with
// maxConnections 10,000, and writes a markdown report (default apps/bench/FLOOD.md).
//
//   node apps/bench/flood/flood.mjs [--clients 20] [--storm 10200] [--out apps/bench/FLOOD.md]
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { connectStormScript } from "@webshocket/test-utils";
import { createPacket, msgpackCodec, PacketSource, SUBPROTOCOL } from "@webshocket/protocol";
import WebSocket from "ws";

const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i === -1 ? dflt : process.argv[i + 1]; };
const clients = Number(arg("clients", 20));
const storm = Number(arg("storm", 10_200));
const max = 10_000;
const out = arg("out", fileURLToPath(new URL("../FLOOD.md", import.meta.url)));
const phaseMs = 5_000;

const raiseFds = `ulimit -n "$(ulimit -Hn)";`;
const serverScript = fileURLToPath(new URL("../soak/soakServer.mjs", import.meta.url));
const server = spawn("/bin/bash", ["-c", `${raiseFds} exec taskset -c 0 "${process.execPath}" "${serverScript}"`], { env: { ...process.env, MAX_CONNECTIONS: String(max) }, stdio: ["ignore", "pipe", "inherit"] });
process.on("exit", () => server.kill("SIGTERM"));
const url = await new Promise((resolve, reject) => {
  let text = "";
  server.stdout.on("data", (d) => { text += d; const m = /listening on (\S+)/.exec(text); if (m) resolve(m[1]); });
  server.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
});

/** One connected client calling add() in a loop, recording each round trip's latency. */
async function caller(id, phase) {
  const ws = new WebSocket(url, [SUBPROTOCOL]);
  await new Promise((r) => ws.once("open", r));
  let resolveReply;
  ws.on("message", () => resolveReply?.());
  let n = 0;
  const request = (i) => msgpackCodec.encode(createPacket(PacketSource.RPC, { rpc: { type: "request", method: "add", args: [id, i], kwargs: {}, call_id: `${id}:${i}` } }));
  while (phase.current !== "done") {
    const t0 = process.hrtime.bigint();
    const reply = new Promise((r) => (resolveReply = r));
    ws.send(request(n++));
    await reply;
    phase.samples[phase.current]?.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
  ws.close();
}

const phase = { current: "before", samples: { before: [], during: [], after: [] } };
const loops = Array.from({ length: clients }, (_, i) => caller(i, phase));
await new Promise((r) => setTimeout(r, phaseMs));

phase.current = "during";
const stormStarted = Date.now();
const stormProc = spawn("/bin/bash", ["-c", `${raiseFds} exec taskset -c 1 "${process.execPath}" "${connectStormScript}" "${url}" ${storm} 400 ${storm - max + clients}`], { stdio: ["pipe", "pipe", "inherit"] });
const stormResult = await new Promise((resolve) => {
  let text = "";
  stormProc.stdout.on("data", (d) => { text += d; if (text.includes("\n")) resolve(JSON.parse(text)); });
});
const stormMs = Date.now() - stormStarted;
phase.current = "after";
stormProc.stdin.end();
await new Promise((r) => setTimeout(r, phaseMs));
phase.current = "done";
await Promise.all(loops);
server.kill("SIGTERM");

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN; };
const row = (name, xs, ms) => `| ${name} | ${(xs.length / (ms / 1000)).toFixed(0)} | ${pct(xs, 50).toFixed(0)} | ${pct(xs, 99).toFixed(0)} | ${xs.reduce((a, b) => Math.max(a, b), 0).toFixed(0)} |`;
const report = `# Connect-storm report

Command: \`node apps/bench/flood/flood.mjs --clients ${clients} --storm ${storm}\` (server pinned to core 0, storm to core 1)
Machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, Node ${process.version}. Date: ${new Date().toISOString()}.

${clients} connected msgpack clients call \`add\` in a loop (1 call in flight each) for ${phaseMs / 1000} s, then during a storm of
${storm} new connections (400 handshakes at a time) against \`maxConnections: ${max}\`, then ${phaseMs / 1000} s after it.
The storm took ${(stormMs / 1000).toFixed(1)} s: ${stormResult.stillOpen} connections held open, refused with 1013: ${stormResult.codes["1013"] ?? 0}, failed handshakes: ${stormResult.failed}.

| phase | calls/s | p50 (µs) | p99 (µs) | max (µs) |
| --- | ---: | ---: | ---: | ---: |
${row("before", phase.samples.before, phaseMs)}
${row("during the storm", phase.samples.during, stormMs)}
${row("after", phase.samples.after, phaseMs)}

Figures from one run on a shared machine; latencies include the Node client's own event loop.
`;
writeFileSync(out, report);
console.log(report);
process.exit(0);
