import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer as WsServer, type WebSocket as Ws } from "ws";
import type { SocketData } from "../../connectionHost.js";
import { statusLine } from "../../handshake.js";
import { routeAnswer, type HttpRoute } from "../../http/httpRoute.js";
import type { StaticFile } from "../../http/staticFile.js";
import type { TlsOptions } from "../../options.js";
import { plainAddress, type Engine, type ListenOptions, type SocketHandlers, type UpgradeReply } from "../engine.js";
import { IdleSweep } from "./idleSweep.js";
import { WsSocket } from "./wsSocket.js";

const ignore = (): void => {};

/** A plain-text HTTP answer written straight to a socket that has not been upgraded. */
function refuse(socket: Duplex, status: number, message: string, headers?: Readonly<Record<string, string>>): void {
  const body = Buffer.from(message);
  const more = headers === undefined ? "" : Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("");
  socket.end(`HTTP/1.1 ${statusLine(status)}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n${more}Connection: close\r\n\r\n${message}`);
}

/**
 * Header names (lower case) that occur more than once in `raw` (name, value, name, value, …). Node's `headers`
 * hides them: it keeps the first Authorization and joins repeated Origins with ", ".
 */
function repeatedHeaders(raw: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    if (seen.has(name)) repeated.push(name);
    else seen.add(name);
  }
  return repeated;
}

function sendFile(res: ServerResponse, status: number, contentType: string, body: Uint8Array | string): void {
  res.writeHead(status, { "content-type": contentType, "cache-control": "no-cache", "x-content-type-options": "nosniff" }).end(body);
}

/**
 * The engine on the `ws` package and Node's own http/https server: runs wherever Node does. It can own its
 * HTTP server or attach to the application's (`httpServer` option), taking only upgrades to `path`.
 */
export class WsEngine implements Engine {
  readonly name = "ws";
  /** The Node HTTP(S) server the engine listens on (the application's own when attached). */
  readonly httpServer: Server;
  readonly #attached: boolean;
  readonly #protocols = new WeakMap<IncomingMessage, string>();
  #wss: WsServer | undefined;
  #handlers: SocketHandlers | undefined;
  #files: ReadonlyMap<string, StaticFile> | undefined;
  readonly #routes = new Map<string, HttpRoute>();
  #listening = false;
  #sweep: IdleSweep | undefined;
  /** maxBackpressure, from listen(). */
  #limit = 0;

  constructor(
    tls: TlsOptions | undefined,
    private readonly path: string | undefined,
    httpServer?: Server,
  ) {
    this.#attached = httpServer !== undefined;
    this.httpServer =
      httpServer ??
      (tls
        ? createHttpsServer({
            key: readFileSync(tls.keyFile),
            cert: readFileSync(tls.certFile),
            ...(tls.passphrase !== undefined ? { passphrase: tls.passphrase } : {}),
            ...(tls.caFile !== undefined ? { ca: readFileSync(tls.caFile), requestCert: true } : {}),
          })
        : createServer());
    if (!this.#attached) this.httpServer.on("request", this.#onRequest);
  }

  /** The bound port (undefined while an attached server is not listening). */
  get port(): number | undefined {
    const address = this.httpServer.address();
    return typeof address === "object" && address !== null ? (address as AddressInfo).port : undefined;
  }

  async listen(h: SocketHandlers, o: ListenOptions): Promise<number> {
    this.#handlers = h;
    this.#wss = new WsServer({
      noServer: true,
      clientTracking: false,
      maxPayload: Math.min(o.maxPayloadLength * 2, 0x7fffffff),
      perMessageDeflate: o.compression ? { serverNoContextTakeover: true, clientNoContextTakeover: true, threshold: 0 } : false,
      handleProtocols: (_offered, req) => this.#protocols.get(req) || false,
    });
    this.#sweep = new IdleSweep(o.idleTimeout);
    this.#limit = o.maxBackpressure;
    this.httpServer.on("upgrade", this.#onUpgrade);
    this.#listening = true;
    if (this.#attached) return this.port ?? 0;
    const server = this.httpServer;
    await new Promise<void>((resolve, reject) => {
      const failed = (err: Error): void => reject(new Error(`Could not listen on ${o.host}:${o.port} (${err.message}).`));
      server.once("error", failed);
      server.listen(o.port, o.host, () => {
        server.off("error", failed);
        resolve();
      });
    });
    return this.port ?? 0;
  }

  stopListening(): void {
    if (!this.#listening) return;
    this.#listening = false;
    this.httpServer.off("upgrade", this.#onUpgrade);
    if (!this.#attached) {
      this.httpServer.close();
      this.httpServer.closeIdleConnections();
    }
  }

  /** Every socket is gone: stop the idle sweep. */
  closed(): void {
    this.#sweep?.stop();
  }

  serveFiles(files: ReadonlyMap<string, StaticFile>): void {
    this.#files = files;
  }

  route(path: string, route: HttpRoute): void {
    this.#routes.set(path, route);
  }

  readonly #onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const route = req.method === "GET" || req.method === "HEAD" ? this.#routes.get(path) : undefined;
    if (route !== undefined) {
      void routeAnswer(route).then((a) => {
        if (!res.destroyed) sendFile(res, a.status, a.contentType, typeof a.body === "string" ? a.body : Buffer.from(a.body.buffer, a.body.byteOffset, a.body.byteLength));
      });
      return;
    }
    const file = req.method === "GET" || req.method === "HEAD" ? this.#files?.get(path) : undefined;
    if (file !== undefined) return sendFile(res, 200, file.contentType, file.body);
    if (this.#files !== undefined) return sendFile(res, 404, "text/plain; charset=utf-8", "Not found\n");
    sendFile(res, 426, "text/plain; charset=utf-8", "This is a WebSocket endpoint.\n");
  };

  readonly #onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const h = this.#handlers as SocketHandlers; // set before this listener is added
    const target = req.url ?? "/";
    const q = target.indexOf("?");
    const [url, query] = q < 0 ? [target, ""] : [target.slice(0, q), target.slice(q + 1)];
    if (this.path !== undefined && url !== this.path) {
      // On the application's server another upgrade listener may want it; on our own nobody does.
      if (!this.#attached || this.httpServer.listenerCount("upgrade") <= 1) refuse(socket, 404, "not found");
      return;
    }
    socket.on("error", ignore); // a reset during authenticate must not reach the process
    let aborted = false;
    // Removed once answered: a listener left on the socket would keep this request alive with the connection.
    // The HTTP server's sockets allow half-open connections: a client that leaves before the answer shows as `end`
    // (no `close` follows until this side ends too), so this side ends it then: nobody is left to answer.
    const onClose = (): void => {
      aborted = true;
      socket.destroy();
    };
    socket.once("close", onClose);
    socket.once("end", onClose);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(", ") : value;
    const reply: UpgradeReply = {
      get aborted() {
        return aborted;
      },
      accept: (data: SocketData, protocol: string) => {
        socket.off("close", onClose).off("end", onClose);
        if (aborted || this.#wss === undefined) return;
        this.#protocols.set(req, protocol);
        this.#wss.handleUpgrade(req, socket, head, (ws) => this.#opened(h, ws, socket as Socket, data));
      },
      reject: (status: number, message: string, extra?: Readonly<Record<string, string>>) => {
        socket.off("close", onClose).off("end", onClose);
        if (!aborted) refuse(socket, status, message, extra);
      },
    };
    h.upgrade({ headers, repeated: repeatedHeaders(req.rawHeaders), url, query, remoteAddress: plainAddress(req.socket.remoteAddress ?? "") }, reply);
  };

  #opened(h: SocketHandlers, ws: Ws, raw: Socket, data: SocketData): void {
    const socket = new WsSocket(ws, raw, this.#limit, h);
    const sweep = this.#sweep;
    sweep?.add(socket);
    ws.binaryType = "nodebuffer";
    ws.on("error", ignore); // protocol errors close the socket (the close event follows)
    ws.on("message", (message: Buffer) => {
      socket.alive = true;
      socket.corkRead();
      h.message(socket, message);
    });
    ws.on("pong", () => (socket.alive = true));
    ws.on("ping", () => (socket.alive = true));
    ws.on("close", (code: number) => {
      sweep?.delete(socket);
      socket.closed();
      h.close(socket, code);
    });
    h.open(socket, data);
  }
}
