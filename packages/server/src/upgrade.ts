import type { SessionState } from "@webshocket/guards";
import { ClientType, SUBPROTOCOL } from "@webshocket/protocol";
import type { SocketData } from "./connection.js";
import { HandshakeRejection, originAllowed, statusLine, type HandshakeRequest } from "./handshake.js";
import type { Logger } from "./logger.js";
import type { HttpRequest, HttpResponse, us_socket_context_t } from "./native.js";
import type { ResolvedOptions } from "./options.js";

const textDecoder = new TextDecoder();

function refuse(res: HttpResponse, status: number, message: string): void {
  res.writeStatus(statusLine(status)).writeHeader("Content-Type", "text/plain; charset=utf-8").end(message);
}

/**
 * The HTTP upgrade: subprotocol → client type, Origin allow-list, then the
 * optional async `authenticate` hook. Everything is read from `req` before any
 * await (uWS invalidates it after the callback returns).
 */
export function handleUpgrade(
  options: ResolvedOptions,
  logger: Logger,
  accepting: () => boolean,
  res: HttpResponse,
  req: HttpRequest,
  context: us_socket_context_t,
): void {
  if (!accepting()) return refuse(res, 503, "server is closing");
  const headers: Record<string, string> = {};
  req.forEach((key, value) => {
    headers[key] = value;
  });
  const offered = (headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim());
  const framework = offered.includes(SUBPROTOCOL);
  const remoteAddress = textDecoder.decode(res.getRemoteAddressAsText());
  const origin = headers.origin ?? "";
  if (!originAllowed(options.allowedOrigins, origin)) return refuse(res, 403, `origin ${origin} is not allowed`);

  const upgrade = (initialState: SessionState | undefined): void => {
    const data: SocketData = {
      clientType: framework ? ClientType.FRAMEWORK : ClientType.GENERIC,
      remoteAddress,
      initialState,
    };
    res.upgrade(data, headers["sec-websocket-key"] ?? "", framework ? SUBPROTOCOL : "", headers["sec-websocket-extensions"] ?? "", context);
  };
  const authenticate = options.authenticate;
  if (authenticate === undefined) return upgrade(undefined);

  let aborted = false;
  res.onAborted(() => {
    aborted = true;
  });
  const request: HandshakeRequest = { headers, url: req.getUrl(), query: new URLSearchParams(req.getQuery() ?? ""), remoteAddress, origin };
  Promise.resolve()
    .then(() => authenticate(request))
    .then(
      (result) => {
        if (aborted) return;
        res.cork(() => {
          if (result === false || result === null || result === undefined) refuse(res, 401, "authentication required");
          else upgrade(typeof result === "object" ? (result as SessionState) : undefined);
        });
      },
      (err: unknown) => {
        if (aborted) return;
        const rejection = err instanceof HandshakeRejection ? err : undefined;
        if (!rejection) logger.error("authenticate threw", err);
        res.cork(() => refuse(res, rejection?.status ?? 500, rejection?.message ?? "authentication failed"));
      },
    );
}
