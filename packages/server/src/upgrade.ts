import type { SessionState } from "@webshocket/guards";
import { ClientType, SUBPROTOCOL } from "@webshocket/protocol";
import type { UpgradeReply, UpgradeRequest } from "./engine/engine.js";
import { HandshakeRejection, originAllowed, type HandshakeRequest } from "./handshake.js";
import { clientAddress } from "./http/forwardedFor.js";
import type { Logger } from "./logger.js";
import type { ResolvedOptions } from "./options.js";
import { resumeRequest, type LookedUp, type ResumeRequest } from "./session/sessions.js";

/** Headers a handshake must carry at most once: refused with 400 when repeated. */
const ONCE_ONLY = ["origin", "authorization"] as const;

/** The body of the 503 answered at maxConnections (clients show it). */
export const SERVER_FULL = "server is full, try again later";

/** The connections that count against maxConnections: open ones, and upgrades waiting for `authenticate`. */
export interface ConnectionSlots {
  readonly open: number;
  pending: number;
}

/**
 * The HTTP upgrade, the same on every engine: a repeated Origin or Authorization header (400), subprotocol →
 * client type, Origin allow-list (403), the connection limit (503 with Retry-After), then the optional async
 * `authenticate` hook (401, or its HandshakeRejection status). An upgrade holds a slot while `authenticate` runs, so concurrent handshakes
 * cannot together pass maxConnections; the engines open an accepted socket at once, where it counts as open.
 */
export function handleUpgrade(
  options: ResolvedOptions,
  logger: Logger,
  accepting: () => boolean,
  slots: ConnectionSlots,
  req: UpgradeRequest,
  reply: UpgradeReply,
  /** With a shared session store: asks it for a resume token after `authenticate` (session/sessions.ts lookUp). */
  lookUp?: (request: ResumeRequest) => Promise<LookedUp>,
): void {
  const retry = (): Record<string, string> => ({ "Retry-After": String(options.retryAfter) });
  if (!accepting()) return reply.reject(503, "server is closing", retry());
  const { headers } = req;
  const remoteAddress = options.trustProxy === undefined ? req.remoteAddress : clientAddress(options.trustProxy, req.remoteAddress, headers);
  // Sent twice, the check and the application could each read a different one.
  for (const name of ONCE_ONLY) if (req.repeated.includes(name)) return reply.reject(400, `duplicate ${name} header`);
  const offered = (headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim());
  const framework = offered.includes(SUBPROTOCOL);
  const origin = headers.origin ?? "";
  if (!originAllowed(options.allowedOrigins, origin)) return reply.reject(403, `origin ${origin} is not allowed`);
  if (slots.open + slots.pending >= options.maxConnections) return reply.reject(503, SERVER_FULL, retry());

  // Resumption is asked for in the query (read only when the server offers it); Origin and authenticate run as for any upgrade.
  const resume = options.resume === undefined ? undefined : resumeRequest(new URLSearchParams(req.query));
  const accept = (initialState: SessionState | undefined, asked: ResumeRequest | undefined): void => {
    reply.accept({ clientType: framework ? ClientType.FRAMEWORK : ClientType.GENERIC, remoteAddress, initialState, resume: asked, positions: wantsPositions(req.query) }, framework ? SUBPROTOCOL : "");
  };
  const upgrade = (initialState: SessionState | undefined): void => {
    if (lookUp === undefined || resume?.token === undefined) return accept(initialState, resume);
    // A token this node may not hold: the shared store is asked (after authenticate, so a refused handshake takes nothing).
    slots.pending++;
    lookUp(resume)
      .finally(() => slots.pending--)
      .then(
        (found) => {
          if (reply.aborted) return found.undo?.();
          accept(initialState, found.request);
        },
        (err: unknown) => {
          logger.error("resume lookup failed", err);
          if (!reply.aborted) accept(initialState, resume);
        },
      );
  };
  const authenticate = options.authenticate;
  if (authenticate === undefined) return upgrade(undefined);

  const request: HandshakeRequest = { headers, url: req.url, query: new URLSearchParams(req.query), remoteAddress, origin };
  slots.pending++;
  Promise.resolve()
    .then(() => authenticate(request))
    .finally(() => slots.pending--)
    .then(
      (result) => {
        if (reply.aborted) return;
        if (result === false || result === null || result === undefined) reply.reject(401, "authentication required");
        else upgrade(typeof result === "object" ? (result as SessionState) : undefined);
      },
      (err: unknown) => {
        if (reply.aborted) return;
        const rejection = err instanceof HandshakeRejection ? err : undefined;
        if (!rejection) logger.error("authenticate threw", err);
        reply.reject(rejection?.status ?? 500, rejection?.message ?? "authentication failed");
      },
    );
}

/** The upgrade's `positions` query parameter (any value): channel messages then carry their position (PROTOCOL.md § 12). */
function wantsPositions(query: string): boolean {
  return query.includes("positions") && new URLSearchParams(query).has("positions");
}
