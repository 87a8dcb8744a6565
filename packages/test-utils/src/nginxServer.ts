import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./redisServer.js";

/** An nginx master process (one worker) in the foreground on a free port; dispose it with `await using`. */
export interface NginxServer extends AsyncDisposable {
  readonly port: number;
  /** The temporary directory holding the config, certificate, logs and temp paths. */
  readonly dir: string;
  /** The configuration nginx runs. */
  readonly config: string;
  /** The certificate nginx serves (PEM), to pass as `ca` to a client. */
  readonly certificate: string;
  /** What nginx wrote to stderr and its error log so far. */
  output(): string;
  stop(): Promise<void>;
}

/** The nginx binary: `$NGINX`, else `nginx` on the PATH or in /usr/sbin; undefined when there is none. */
export function findNginx(): string | undefined {
  for (const candidate of [process.env.NGINX, "nginx", "/usr/sbin/nginx"]) {
    if (!candidate) continue;
    const probe = spawnSync(candidate, ["-v"], { encoding: "utf8" });
    if (probe.status === 0 && /nginx version/.test(probe.stderr)) return candidate;
  }
  return undefined;
}

/** Fails under CI (`CI` set, not "false") when nginx or openssl is missing; elsewhere warns and returns false (skip). */
export function requireNginx(what: string): boolean {
  const openssl = spawnSync("openssl", ["version"]).status === 0;
  if (findNginx() !== undefined && openssl) return true;
  const hint = "install them with `bash scripts/install-test-deps.sh` (Debian: apt-get install nginx-light openssl) or set NGINX";
  const ci = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false";
  if (ci) throw new Error(`${what}: nginx or openssl is missing and CI is set; ${hint}.`);
  console.warn(`\n${"!".repeat(78)}\n!! SKIPPING ${what}: nginx or openssl not found; ${hint}.\n${"!".repeat(78)}\n`);
  return false;
}

/** A throw-away self-signed certificate for 127.0.0.1 and localhost, written into `dir`. */
export function selfSignedCertificate(dir: string): { certFile: string; keyFile: string } {
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  const args = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"];
  args.push("-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", keyFile, "-out", certFile);
  const made = spawnSync("openssl", args, { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`openssl req failed: ${made.stderr}`);
  return { certFile, keyFile };
}

/**
 * Starts nginx with `http` as the body of its `http { }` block. In `http`, `{{port}}` is replaced by the port
 * nginx listens on (127.0.0.1), `{{cert}}` and `{{key}}` by a fresh self-signed certificate's files. Logs, pid
 * and temp paths stay in a temporary directory, removed on dispose. Resolves once nginx accepts connections.
 */
export async function startNginx(options: { http: string; timeoutMs?: number }): Promise<NginxServer> {
  const binary = findNginx();
  if (binary === undefined) throw new Error("nginx not found (install it with `bash scripts/install-test-deps.sh`, or set NGINX).");
  const timeoutMs = options.timeoutMs ?? 10_000;
  const dir = mkdtempSync(join(tmpdir(), "webshocket-nginx-"));
  const { certFile, keyFile } = selfSignedCertificate(dir);
  const errorLog = join(dir, "error.log");
  let stderr = "";
  const output = (): string => {
    let log = "";
    try {
      log = readFileSync(errorLog, "utf8");
    } catch {
      // not written yet
    }
    return stderr + log;
  };

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const temp = (name: string): string => `${name}_temp_path ${join(dir, name)};`;
    const config = [
      "worker_processes 1;",
      `pid ${join(dir, "nginx.pid")};`,
      `error_log ${errorLog} info;`,
      "events { worker_connections 256; }",
      "http {",
      "  access_log off;",
      `  ${temp("client_body")} ${temp("proxy")} ${temp("fastcgi")} ${temp("uwsgi")} ${temp("scgi")}`,
      options.http.replaceAll("{{port}}", String(port)).replaceAll("{{cert}}", certFile).replaceAll("{{key}}", keyFile),
      "}",
      "",
    ].join("\n");
    const configFile = join(dir, "nginx.conf");
    writeFileSync(configFile, config);
    stderr = "";
    const child: ChildProcess = spawn(binary, ["-e", errorLog, "-p", dir, "-c", configFile, "-g", "daemon off;"], { stdio: ["ignore", "ignore", "pipe"] });
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const stop = async (): Promise<void> => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    };
    try {
      await untilListening(port, child, timeoutMs, output);
    } catch (err) {
      await stop();
      if (attempt < 3 && /Address already in use/.test(output())) continue;
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    return {
      port,
      dir,
      config,
      certificate: readFileSync(certFile, "utf8"),
      output,
      stop,
      async [Symbol.asyncDispose]() {
        await stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}

/** Resolves when 127.0.0.1:port accepts a TCP connection; rejects when the process exits first or on timeout. */
async function untilListening(port: number, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once("exit", () => (exited = true));
  for (let delay = 5; ; delay = Math.min(delay * 2, 200)) {
    if (exited || child.exitCode !== null) throw new Error(`nginx exited before listening:\n${output()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port} within ${timeoutMs} ms:\n${output()}`);
    // Retry the connect after a short backoff: nginx binds during startup, no earlier signal is available.
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
