// Runs every example of docs/from-python.md and docs/deployment.md: type-checked with tsc, compiled with esbuild (TC39
// decorators and `await using` lowered for Node 20), run with Node, stdout compared with the doc.
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";
import { describe, expect, it } from "vitest";
import { extractExamples } from "./extractExamples.js";

/** The documents whose examples run. */
const DOCS = ["from-python", "deployment"] as const;
/** Inside docs/node_modules, so the examples resolve @webshocket/* like a user's project would (and git ignores it). */
const workDir = (doc: string): string => fileURLToPath(new URL(`../node_modules/.examples/${doc}/`, import.meta.url));
const examplesOf = (doc: string) => extractExamples(readFileSync(fileURLToPath(new URL(`../${doc}.md`, import.meta.url)), "utf8"));

/** Every feature of the Python library (its README, features and API pages) → the example showing it. */
const PYTHON_FEATURES: Record<string, string> = {
  "WebSocketServer, start, serve_forever, close, async with": "server",
  "@rpc_method, send_rpc": "rpc",
  "alias_name": "rpc",
  "send_rpc kwargs": "kwargs",
  "streaming RPC, stream_rpc": "streaming",
  "session state (attributes)": "session-state",
  "session state (dict-style access, session_state)": "session-dict",
  "channels: subscribe, publish, exclude": "channels",
  "wildcard subscriptions": "wildcards",
  "broadcast with exclude and predicate": "broadcast",
  "predicates Is, Has, IsEqual, Any, All; requires": "predicates",
  "publish with a predicate": "predicate-publish",
  "rate_limit, raise_on_rate_limit": "rate-limit",
  "disconnect_on_limit_exceeded": "rate-limit-disconnect",
  "auto-retry with exponential backoff": "auto-retry",
  "TLS server and client (ssl_context)": "tls",
  "cross-language JSON clients": "json-clients",
  "manual mode: DefaultWebSocketHandler, accept, recv": "manual-mode",
  "register_rpc_method": "register-rpc-method",
  "on_connect, on_receive, on_disconnect": "hooks",
  "on_server_destruct": "server-shutdown",
  "client send, recv, on_receive; connection.send": "send-recv",
  "max_connection, packet_qsize, rpc_task_limit, max_subscribed_channels": "limits",
  "ClientConnection: uid, remote_address, client_type, connection_state, subscribed_channel, close": "connection",
  "handler clients, channels, patterns, subscribe, unsubscribe": "handler-views",
  "error classes": "errors",
  "Packet, RPCRequest, RPCResponse, serialize, deserialize": "packets",
  "ClientType, ConnectionState, PacketSource, RPCErrorCode": "enums",
  "WebSocketClient options, state, close, async with": "clients",
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(WORK: string, command: string, args: string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: WORK, timeout: timeoutMs, killSignal: "SIGKILL" }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      resolve({ code, stdout, stderr: error?.killed ? `${stderr}\n(killed after ${timeoutMs} ms)` : stderr });
    });
  });
}

describe("docs/from-python.md", () => {
  it("has a runnable example for every feature of the Python library", () => {
    const examples = examplesOf("from-python");
    const names = new Set(examples.map((e) => e.name));
    const missing = Object.entries(PYTHON_FEATURES).filter(([, name]) => !names.has(name));
    expect(missing).toEqual([]);
    expect(examples.every((e) => e.output !== undefined)).toBe(true);
  });
});

for (const doc of DOCS) describe(`docs/${doc}.md examples`, () => {
  const examples = examplesOf(doc);
  const WORK = workDir(doc);

  it("type-checks every example", async () => {
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    for (const e of examples) writeFileSync(`${WORK}${e.name}.mts`, `${e.code}\n`);
    const tsconfig = {
      extends: "../../../../tsconfig.base.json",
      compilerOptions: { noEmit: true, types: ["node"], declaration: false, declarationMap: false },
      include: ["*.mts"],
    };
    writeFileSync(`${WORK}tsconfig.json`, JSON.stringify(tsconfig));
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    const result = await run(WORK, process.execPath, [tsc, "-p", "tsconfig.json"], 120_000);
    expect(result.stdout + result.stderr).toBe("");
    expect(result.code).toBe(0);
  }, 150_000);

  for (const example of examples) {
    it(`example "${example.name}" (line ${example.line}) runs and prints what the doc shows`, async () => {
      mkdirSync(WORK, { recursive: true });
      const { code } = await transform(example.code, { loader: "ts", format: "esm", target: "node20", sourcefile: `${example.name}.ts` });
      const file = `${WORK}${example.name}.mjs`;
      writeFileSync(file, code);
      const result = await run(WORK, process.execPath, [file], 20_000);
      expect(result.code, `exit code; stderr:\n${result.stderr}\nstdout:\n${result.stdout}`).toBe(0);
      if (example.output !== undefined) expect(result.stdout.trimEnd()).toBe(example.output.trimEnd());
    }, 30_000);
  }
});
