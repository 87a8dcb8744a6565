import type { SocketData } from "../connectionHost.js";
import type { HttpRoute } from "../http/httpRoute.js";
import type { StaticFile } from "../http/staticFile.js";

/** What `EngineSocket.send` reports, as uWebSockets.js does: */
export const SendResult = {
  /** Queued behind earlier data: the socket is under backpressure (a `drain` follows). */
  BACKPRESSURE: 0,
  /** Handed to the kernel (or corked for it). */
  SUCCESS: 1,
  /** Not sent: the socket was over `maxBackpressure`. */
  DROPPED: 2,
} as const;

/**
 * One WebSocket as the server core sees it: the slice of uWebSockets.js's socket the core calls. The uws engine
 * hands uWS's own socket objects through unchanged (no wrapper on the per-message path); the ws engine
 * implements it over the `ws` package and the Node socket beneath.
 */
export interface EngineSocket {
  /** Sends one message; returns a SendResult. */
  send(message: Uint8Array | string, isBinary: boolean, compress: boolean): number;
  /**
   * Sends the first frame of a fragmented message (FIN clear); true unless it was buffered (backpressure).
   * The core sends a message's fragments back to back (see sendFragmented).
   */
  sendFirstFragment(message: Uint8Array, isBinary: boolean, compress: boolean): boolean;
  /** Sends a continuation frame (FIN clear). */
  sendFragment(message: Uint8Array, compress: boolean): boolean;
  /** Sends the last continuation frame (FIN set): the message is complete. */
  sendLastFragment(message: Uint8Array, compress: boolean): boolean;
  /** Bytes waiting to be written. */
  getBufferedAmount(): number;
  /** Runs `fn`, writing what it sends in one go. */
  cork(fn: () => void): unknown;
  /** Closes with a close frame (code, reason). */
  end(code: number, reason: string): void;
  /** Drops the connection at once (no close frame). */
  close(): void;
}

/** What an engine reads off an HTTP upgrade request, before the core decides on it. */
export interface UpgradeRequest {
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** Names (lower case) of the headers the request carried more than once; `headers` holds one value for each. */
  readonly repeated: readonly string[];
  /** The path, e.g. "/ws". */
  readonly url: string;
  /** The query string without "?" ("" when none). */
  readonly query: string;
  /** The peer's IP address as text (IPv4-mapped IPv6 addresses as plain IPv4). */
  readonly remoteAddress: string;
}

/** "::ffff:127.0.0.1" → "127.0.0.1": an address reads the same on every engine. */
export function plainAddress(address: string): string {
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

/** How the core answers an upgrade; it may answer later (after `authenticate`), but once. */
export interface UpgradeReply {
  /** Completes the handshake; `protocol` is the subprotocol to answer with ("" for none). */
  accept(data: SocketData, protocol: string): void;
  /** Refuses with an HTTP status, a plain-text body and, optionally, more response headers (e.g. Retry-After). */
  reject(status: number, message: string, headers?: Readonly<Record<string, string>>): void;
  /** True once the client has gone (nothing can be answered then). */
  readonly aborted: boolean;
}

/** The core's callbacks an engine calls for its sockets. */
export interface SocketHandlers {
  upgrade(request: UpgradeRequest, reply: UpgradeReply): void;
  open(socket: EngineSocket, data: SocketData): void;
  message(socket: EngineSocket, message: ArrayBuffer | Uint8Array): void;
  /** Some buffered data was written: the socket may take more. */
  drain(socket: EngineSocket): void;
  /** The socket closed with `code` (1006 when it dropped without a close frame). */
  close(socket: EngineSocket, code: number): void;
}

/** What an engine is told when it starts listening. */
export interface ListenOptions {
  readonly host: string;
  readonly port: number;
  /** Largest message the engine reads (the core refuses bigger ones itself with 1009). */
  readonly maxPayloadLength: number;
  /** Seconds without traffic before a socket is dropped (pings keep live ones open); 0 disables. */
  readonly idleTimeout: number;
  /** Bytes a socket may buffer before sends are dropped (SendResult.DROPPED). */
  readonly maxBackpressure: number;
  /** permessage-deflate. */
  readonly compression: boolean;
}

/** The two engines. */
export type EngineName = "uws" | "ws";

/**
 * A transport under the server core: listens, upgrades, and hands the core its sockets' events. Everything
 * above it (runtime, dispatch, channels, outboxes, backpressure policy, handshake checks) is engine-free.
 */
export interface Engine {
  readonly name: EngineName;
  /** Starts serving with `handlers`; resolves with the bound port. */
  listen(handlers: SocketHandlers, options: ListenOptions): Promise<number>;
  /** Stops taking new connections (open sockets stay). */
  stopListening(): void;
  /** Serves `files` on GET and a 404 for every other plain HTTP request; call before `listen`. */
  serveFiles(files: ReadonlyMap<string, StaticFile>): void;
  /** Answers GET/HEAD `path` with `route` (metrics, health); call before `listen`. Not served on an attached server. */
  route(path: string, route: HttpRoute): void;
  /** Every socket is gone after a close: release what the engine still holds (timers). */
  closed(): void;
}
