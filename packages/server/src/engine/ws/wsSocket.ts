import type { Socket } from "node:net";
import type { WebSocket as Ws } from "ws";
import { SendResult, type EngineSocket, type SocketHandlers } from "../engine.js";

const CLOSE_REASON_BYTES = 123;

/** A close reason cut to what a close frame holds (123 bytes of UTF-8), at a character boundary. */
function fitReason(reason: string): string {
  if (Buffer.byteLength(reason) <= CLOSE_REASON_BYTES) return reason;
  let cut = reason.slice(0, CLOSE_REASON_BYTES);
  while (Buffer.byteLength(cut) > CLOSE_REASON_BYTES) cut = cut.slice(0, -1);
  return cut;
}

/**
 * One `ws` socket behind the engine seam, with uWebSockets.js's semantics: `send` reports backpressure and
 * drops over `maxBackpressure`, `cork` batches writes on the Node socket beneath, and `drain` is reported
 * to the core after each write completes while the socket is backed up.
 */
export class WsSocket implements EngineSocket {
  /** Set by the server core (its connection), kept on the socket as with uWS. */
  webshocketConn: unknown = undefined;
  /** Traffic was seen since the last idle sweep. */
  alive = true;
  /** A ping went out in the last idle sweep and no traffic came since. */
  pinged = false;
  #backedUp = false;
  #open = true;

  constructor(
    readonly ws: Ws,
    private readonly raw: Socket,
    private readonly limit: number,
    private readonly handlers: SocketHandlers,
  ) {}

  readonly #written = (): void => {
    if (!this.#backedUp || !this.#open) return;
    if (this.ws.bufferedAmount === 0) this.#backedUp = false;
    this.handlers.drain(this);
  };

  send(message: Uint8Array | string, isBinary: boolean, compress: boolean): number {
    if (!this.#open) return SendResult.SUCCESS; // closing: the close frame is on its way, as after uWS's end()
    if (this.limit > 0 && this.ws.bufferedAmount > this.limit) return SendResult.DROPPED;
    this.ws.send(message, { binary: isBinary, compress }, this.#written);
    if (this.ws.bufferedAmount === 0) return SendResult.SUCCESS;
    this.#backedUp = true;
    return SendResult.BACKPRESSURE;
  }

  getBufferedAmount(): number {
    return this.#open ? this.ws.bufferedAmount : 0;
  }

  cork(fn: () => void): void {
    const raw = this.raw;
    raw.cork();
    try {
      fn();
    } finally {
      raw.uncork();
    }
  }

  end(code: number, reason: string): void {
    if (!this.#open) return;
    this.#open = false;
    try {
      this.ws.close(code, fitReason(reason));
    } catch {
      this.ws.close(1000); // a code a close frame may not carry (1005, 1006, 1015, …): close normally instead
    }
  }

  close(): void {
    this.#open = false;
    this.ws.terminate();
  }

  /** The socket has closed (ws's close event). */
  closed(): void {
    this.#open = false;
  }
}
