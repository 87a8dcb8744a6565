import type { TlsOptions } from "../options.js";

/** The part of the standard WebSocket the client uses (browsers, `ws`, undici all fit). */
export interface WebSocketLike {
  readonly readyState: number;
  readonly protocol: string;
  binaryType: string;
  send(data: string | ArrayBufferLike | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string; wasClean?: boolean }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** A WebSocket constructor: the global one, `ws`'s, or a test double. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** What a transport needs to open one socket. */
export interface OpenRequest {
  _url: string;
  _protocols: string[];
  _tls: TlsOptions | undefined;
  _WebSocket: WebSocketConstructor | undefined;
}

/** Creates sockets on one platform. */
export interface Transport {
  /** Throws when an option cannot work on this platform. */
  _check(options: { tls?: TlsOptions | undefined }): void;
  /** Creates a socket (not yet open). May be async: Node loads `ws` lazily. */
  _create(request: OpenRequest): WebSocketLike | Promise<WebSocketLike>;
}

/** `WebSocket.OPEN`. */
export const OPEN = 1;
