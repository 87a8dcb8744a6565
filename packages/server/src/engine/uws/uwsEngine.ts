import type { HttpRequest, HttpResponse, TemplatedApp, us_listen_socket, us_socket, WebSocket } from "uWebSockets.js";
import type { SocketData } from "../../connectionHost.js";
import { statusLine } from "../../handshake.js";
import { routeAnswer, type HttpRoute } from "../../http/httpRoute.js";
import type { StaticFile } from "../../http/staticFile.js";
import type { TlsOptions } from "../../options.js";
import { plainAddress, type Engine, type ListenOptions, type SocketHandlers, type UpgradeReply } from "../engine.js";
import type { UwsModule } from "./loadUws.js";

/** Headers whose repeats are joined into one list; any other repeated header keeps its last value. */
const FORWARDING = new Set(["x-forwarded-for", "forwarded"]);
const textDecoder = new TextDecoder();

function refuse(res: HttpResponse, status: number, message: string, headers?: Readonly<Record<string, string>>): void {
  res.writeStatus(statusLine(status)).writeHeader("Content-Type", "text/plain; charset=utf-8");
  if (headers !== undefined) for (const [name, value] of Object.entries(headers)) res.writeHeader(name, value);
  res.end(message, true); // and close the connection, as the ws engine does: a refused client does not reuse it
}

/** WebSocket handshakes share paths with pages: hand them on to the `ws` route. */
function isUpgrade(req: HttpRequest): boolean {
  if (req.getHeader("upgrade") === "") return false;
  req.setYield(true);
  return true;
}

/** The engine on uWebSockets.js (native builds only): the server's fastest. */
export class UwsEngine implements Engine {
  readonly name = "uws";
  /** The uWS app: HTTP routes can be added to it before `listen`. */
  readonly app: TemplatedApp;
  #listenSocket: us_listen_socket | undefined;

  constructor(
    private readonly uws: UwsModule,
    tls: TlsOptions | undefined,
    private readonly path = "/*",
  ) {
    this.app = tls
      ? uws.SSLApp({ key_file_name: tls.keyFile, cert_file_name: tls.certFile, passphrase: tls.passphrase ?? "", ...(tls.caFile ? { ca_file_name: tls.caFile } : {}) })
      : uws.App();
  }

  async listen(h: SocketHandlers, o: ListenOptions): Promise<number> {
    const uws = this.uws;
    this.app.ws<SocketData>(this.path, {
      // uWS drops an oversize socket without a close frame (1006): reading up to twice the limit lets the core refuse it with 1009.
      maxPayloadLength: Math.min(o.maxPayloadLength * 2, 0x7fffffff),
      idleTimeout: o.idleTimeout,
      sendPingsAutomatically: true,
      maxBackpressure: o.maxBackpressure,
      compression: o.compression ? uws.SHARED_COMPRESSOR : uws.DISABLED,
      upgrade(res, req, context) {
        const headers: Record<string, string> = {};
        const repeated: string[] = [];
        req.forEach((key, value) => {
          if (key in headers) repeated.push(key);
          // Repeated forwarding headers are one list (as Node's http joins them): the last alone could be client-written.
          headers[key] = key in headers && FORWARDING.has(key) ? `${headers[key]}, ${value}` : value;
        });
        const remoteAddress = plainAddress(textDecoder.decode(res.getRemoteAddressAsText()));
        let aborted = false;
        let sync = true;
        res.onAborted(() => {
          aborted = true;
        });
        // uWS invalidates req when this callback returns; an answer made later (after authenticate) must cork.
        const answer = (f: () => void): void => (sync ? f() : void res.cork(f));
        const reply: UpgradeReply = {
          get aborted() {
            return aborted;
          },
          accept(data, protocol) {
            answer(() => res.upgrade(data, headers["sec-websocket-key"] ?? "", protocol, headers["sec-websocket-extensions"] ?? "", context));
          },
          reject(status, message, extra) {
            answer(() => refuse(res, status, message, extra));
          },
        };
        h.upgrade({ headers, repeated, url: req.getUrl(), query: req.getQuery() ?? "", remoteAddress }, reply);
        sync = false;
      },
      open(ws: WebSocket<SocketData>) {
        h.open(ws, ws.getUserData());
      },
      // The core's callbacks themselves: nothing between uWS and the core on the per-message path.
      message: h.message,
      drain: h.drain,
      close: h.close,
    });
    const socket = await new Promise<us_listen_socket | false>((resolve) => this.app.listen(o.host, o.port, resolve));
    if (socket === false) throw new Error(`Could not listen on ${o.host}:${o.port} (in use, or not allowed).`);
    this.#listenSocket = socket;
    return uws.us_socket_local_port(socket as unknown as us_socket);
  }

  stopListening(): void {
    if (this.#listenSocket !== undefined) this.uws.us_listen_socket_close(this.#listenSocket);
    this.#listenSocket = undefined;
  }

  closed(): void {}

  route(path: string, route: HttpRoute): void {
    this.app.get(path, (res, req) => {
      if (isUpgrade(req)) return;
      let aborted = false;
      res.onAborted(() => void (aborted = true));
      void routeAnswer(route).then((a) => {
        if (aborted) return;
        res.cork(() => {
          res.writeStatus(a.status === 200 ? "200 OK" : statusLine(a.status)).writeHeader("content-type", a.contentType).writeHeader("cache-control", "no-cache").end(a.body);
        });
      });
    });
  }

  serveFiles(files: ReadonlyMap<string, StaticFile>): void {
    for (const [path, file] of files) {
      this.app.get(path, (res, req) => {
        if (isUpgrade(req)) return;
        res
          .writeStatus("200 OK")
          .writeHeader("content-type", file.contentType)
          .writeHeader("cache-control", "no-cache")
          .writeHeader("x-content-type-options", "nosniff")
          .end(file.body);
      });
    }
    this.app.any("/*", (res, req) => {
      if (isUpgrade(req)) return;
      res.writeStatus("404 Not Found").writeHeader("content-type", "text/plain; charset=utf-8").end("Not found\n");
    });
  }
}
