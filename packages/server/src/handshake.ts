import type { SessionState } from "@webshocket/guards";
import { WebSocketError } from "@webshocket/protocol";

/** What `authenticate` sees of the HTTP upgrade request. */
export interface HandshakeRequest {
  /** Request headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The path, e.g. "/ws". */
  readonly url: string;
  /** The query string parsed, e.g. `query.get("token")`. */
  readonly query: URLSearchParams;
  /** The client's IP address as text. */
  readonly remoteAddress: string;
  /** The Origin header ("" when absent: non-browser clients send none). */
  readonly origin: string;
}

/**
 * Decides whether a WebSocket handshake may proceed, before the upgrade.
 * Return (or resolve to) an object to accept with that initial session state,
 * `true` to accept with empty state, or `false` to refuse with 401. Throw a
 * `HandshakeRejection` for another status; any other error refuses with 500.
 */
export type Authenticate<TState extends object = SessionState> = (
  request: HandshakeRequest,
) => Partial<TState> | boolean | Promise<Partial<TState> | boolean>;

/** Thrown by `authenticate` to refuse a handshake with a chosen HTTP status. */
export class HandshakeRejection extends WebSocketError {
  constructor(
    /** HTTP status, e.g. 401 or 403. */
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Which browser origins may connect: a list of exact origins, or a function. */
export type AllowedOrigins = readonly string[] | ((origin: string) => boolean);

/**
 * True when `origin` may connect. Requests without an Origin header (non-browser
 * clients) are allowed: the check defends browsers against cross-site WebSocket
 * hijacking, and browsers always send Origin.
 */
export function originAllowed(allowed: AllowedOrigins | undefined, origin: string): boolean {
  if (allowed === undefined || origin === "") return true;
  if (typeof allowed === "function") {
    try {
      return allowed(origin) === true;
    } catch {
      return false;
    }
  }
  return allowed.includes(origin) || allowed.includes("*");
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** "401 Unauthorized" for uWS's writeStatus. */
export function statusLine(status: number): string {
  const code = Number.isInteger(status) && status >= 400 && status <= 599 ? status : 403;
  return `${code} ${STATUS_TEXT[code] ?? "Refused"}`;
}
