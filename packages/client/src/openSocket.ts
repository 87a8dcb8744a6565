import { ConnectionError } from "@webshocket/protocol";
import { after } from "./options.js";
import type { OpenRequest, Transport, WebSocketLike } from "./transport/types.js";

/** The `retryAfterMs` a refused handshake's error carries (Node transport: the server's Retry-After). */
function retryAfterOf(event: unknown): number | undefined {
  const e = event as { error?: { retryAfterMs?: unknown }; retryAfterMs?: unknown } | null;
  const ms = e?.error?.retryAfterMs ?? e?.retryAfterMs;
  return typeof ms === "number" ? ms : undefined;
}

function describe(event: unknown): string {
  if (event instanceof Error) return event.message;
  if (typeof event === "object" && event !== null) {
    const e = event as { message?: unknown; error?: unknown };
    if (e.error instanceof Error) return e.error.message;
    if (typeof e.message === "string" && e.message) return e.message;
  }
  return "connection error";
}

/** What happened on a socket between its `open` event and the moment the client attached its handlers. */
export interface EarlyEvents {
  readonly _messages: unknown[];
  _close: { code: number; reason: string } | undefined;
}

const early = new WeakMap<WebSocketLike, EarlyEvents>();

/**
 * Takes what arrived on a freshly opened socket before the client attached its handlers: a server
 * may send (or close) right after the handshake, within the same tick as `open`.
 */
export function takeEarlyEvents(socket: WebSocketLike): EarlyEvents {
  const events = early.get(socket) ?? { _messages: [], _close: undefined };
  early.delete(socket);
  return events;
}

/** Keeps messages and the close event of an open socket until the client attaches. */
function buffer(socket: WebSocketLike): void {
  const events: EarlyEvents = { _messages: [], _close: undefined };
  early.set(socket, events);
  silence(socket);
  socket.onmessage = (event) => events._messages.push(event.data);
  socket.onclose = (event) => {
    events._close ??= { code: event.code, reason: event.reason };
  };
}

function silence(socket: WebSocketLike): void {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onclose = null;
  socket.onerror = () => {};
}

/** Closes a socket that is connecting or open, ignoring every error. */
export function discard(socket: WebSocketLike, code?: number): void {
  silence(socket);
  try {
    const s = socket as WebSocketLike & { terminate?: () => void };
    if (typeof s.terminate === "function" && socket.readyState === 0) s.terminate();
    else socket.close(code);
  } catch {
    // A socket that never opened may refuse close(); it is gone either way.
  }
}

/**
 * Opens one socket: resolves once it is open, rejects with ConnectionError when it fails,
 * closes or times out first, and with `signal.reason` when aborted.
 */
export async function openSocket(
  transport: Transport,
  request: OpenRequest,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<WebSocketLike> {
  signal?.throwIfAborted();
  const socket = await transport._create(request);
  socket.binaryType = "arraybuffer";
  return new Promise<WebSocketLike>((resolve, reject) => {
    let lastError = "";
    let retryAfterMs: number | undefined;
    const finish = (error?: unknown): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      if (error === undefined) {
        buffer(socket);
        resolve(socket);
      } else {
        discard(socket);
        reject(error);
      }
    };
    const onAbort = (): void => finish(signal?.reason);
    const timer = after(timeoutMs, () => finish(new ConnectionError(`Could not open ${request._url}: timed out after ${timeoutMs} ms`)));
    signal?.addEventListener("abort", onAbort, { once: true });
    socket.onopen = () => finish();
    socket.onerror = (event) => {
      lastError = describe(event);
      retryAfterMs = retryAfterOf(event);
    };
    socket.onclose = (event) => {
      const why = lastError || `closed with code ${event.code}${event.reason ? ` (${event.reason})` : ""}`;
      const error = new ConnectionError(`Could not open ${request._url}: ${why}`);
      finish(retryAfterMs === undefined ? error : Object.assign(error, { retryAfterMs }));
    };
  });
}

/**
 * Closes an open socket and resolves once it is closed, or after `timeoutMs` (then the socket
 * is dropped: `terminate()` where the implementation has it).
 */
export function closeSocket(socket: WebSocketLike, code: number, reason: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (socket.readyState === 3) return resolve();
    const timer = setTimeout(() => {
      const s = socket as WebSocketLike & { terminate?: () => void };
      silence(socket);
      s.terminate?.();
      resolve();
    }, timeoutMs);
    silence(socket);
    socket.onclose = () => {
      clearTimeout(timer);
      resolve();
    };
    try {
      socket.close(code, reason);
    } catch {
      clearTimeout(timer);
      discard(socket);
      resolve();
    }
  });
}
