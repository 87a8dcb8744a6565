import type { Socket } from "node:net";
import type { WebSocket as Ws } from "ws";
import { SendResult, type EngineSocket, type SocketHandlers } from "../engine.js";
import { FrameBatch } from "./frames.js";

const CLOSE_REASON_BYTES = 123;
/** ws's readyState while open (WebSocket.OPEN). */
const OPEN = 1;
const discard = (): void => {};

/** A close reason cut to what a close frame holds (123 bytes of UTF-8), at a character boundary. */
function fitReason(reason: string): string {
  if (Buffer.byteLength(reason) <= CLOSE_REASON_BYTES) return reason;
  let cut = reason.slice(0, CLOSE_REASON_BYTES);
  while (Buffer.byteLength(cut) > CLOSE_REASON_BYTES) cut = cut.slice(0, -1);
  return cut;
}

/**
 * One `ws` socket behind the engine seam, with uWebSockets.js's semantics: `send` reports backpressure and
 * drops over `maxBackpressure`, `cork` batches writes, and `drain` is reported to the core after writes
 * complete while the socket is backed up.
 *
 * Where no extension was negotiated (no permessage-deflate), messages are framed here (FrameBatch) and a
 * cork's messages leave in one write with one callback; `ws` still reads, answers pings and closes. Frames
 * `ws` writes itself (pong, ping, close) never come between a batch's messages: batches are written before
 * any of them (`end`, and ws's own closes) and outside corks nothing waits.
 */
export class WsSocket implements EngineSocket {
  /** Set by the server core (its connection), kept on the socket as with uWS. */
  webshocketConn: unknown = undefined;
  /** Traffic was seen since the last idle sweep. */
  alive = true;
  /** Idle sweeps in a row that found no traffic since the one before. */
  idleTicks = 0;
  #backedUp = false;
  #open = true;
  #corks = 0;
  #readCorked = false;
  readonly #batch: FrameBatch | undefined;

  constructor(
    readonly ws: Ws,
    private readonly raw: Socket,
    private readonly limit: number,
    private readonly handlers: SocketHandlers,
  ) {
    this.#batch = ws.extensions === "" ? new FrameBatch() : undefined;
    if (this.#batch !== undefined) {
      // ws also closes on its own (answering the peer's close frame, or a protocol error): what this socket
      // has queued goes first, and nothing after (a data frame after a close frame fails the connection).
      const close = ws.close.bind(ws);
      ws.close = (code?: number, reason?: string | Buffer): void => {
        this.#flush();
        close(code, reason);
      };
    }
  }

  readonly #written = (): void => {
    if (!this.#backedUp || !this.#open) return;
    if (this.ws.bufferedAmount === 0) this.#backedUp = false;
    this.handlers.drain(this);
  };

  readonly #write = (chunk: Buffer, done?: () => void): void => {
    this.raw.write(chunk, done);
  };

  #flush(): void {
    const batch = this.#batch;
    if (batch === undefined || batch.bytes === 0) return;
    batch.flush(this.raw.destroyed || this.ws.readyState !== OPEN ? discard : this.#write, this.#written);
    // Written but not taken yet: the batch's callback reports the drain (send saw only the batch grow).
    if (this.ws.bufferedAmount > 0) this.#backedUp = true;
  }

  send(message: Uint8Array | string, isBinary: boolean, compress: boolean): number {
    if (!this.#open || this.ws.readyState !== OPEN) return SendResult.SUCCESS; // closing: the close frame is on its way, as after uWS's end()
    if (this.limit > 0 && this.getBufferedAmount() > this.limit) return SendResult.DROPPED;
    const batch = this.#batch;
    if (batch === undefined) this.ws.send(message, { binary: isBinary, compress }, this.#written);
    else {
      batch.add(typeof message === "string" ? Buffer.from(message) : message, isBinary);
      if (this.#corks === 0) this.#flush();
    }
    if (this.ws.bufferedAmount === 0) return SendResult.SUCCESS;
    this.#backedUp = true;
    return SendResult.BACKPRESSURE;
  }

  sendFirstFragment(message: Uint8Array, isBinary: boolean, compress: boolean): boolean {
    // Only a message's first frame may be dropped over the limit: the rest of a started message must follow.
    if (this.limit > 0 && this.getBufferedAmount() > this.limit) return true;
    return this.#fragment(message, isBinary ? 2 : 1, false, compress);
  }

  sendFragment(message: Uint8Array, compress: boolean): boolean {
    return this.#fragment(message, 0, false, compress);
  }

  sendLastFragment(message: Uint8Array, compress: boolean): boolean {
    return this.#fragment(message, 0, true, compress);
  }

  /** One frame of a fragmented message; false when the socket is backed up (as uWS's fragment sends). */
  #fragment(message: Uint8Array, opcode: number, fin: boolean, compress: boolean): boolean {
    if (!this.#open || this.ws.readyState !== OPEN) return true;
    const batch = this.#batch;
    // ws tracks the fragments of a message itself (opcode, RSV1 on the first frame only, compression).
    if (batch === undefined) this.ws.send(message, { binary: opcode === 2, compress, fin }, fin ? this.#written : undefined);
    else {
      batch.addFragment(message, opcode, fin);
      if (this.#corks === 0) this.#flush();
    }
    if (this.ws.bufferedAmount === 0) return true;
    this.#backedUp = true;
    return false;
  }

  /** Bytes written but not yet taken by the kernel, plus this cork's batch. */
  getBufferedAmount(): number {
    return this.#open ? this.ws.bufferedAmount + (this.#batch?.bytes ?? 0) : 0;
  }

  cork(fn: () => void): void {
    this.#corks++;
    this.raw.cork();
    try {
      fn();
    } finally {
      this.#uncork();
    }
  }

  #uncork(): void {
    if (--this.#corks === 0) this.#flush();
    this.raw.uncork();
  }

  /**
   * Corks until the messages of the current read are handled (the next tick), so the answers to a read's
   * messages leave in one write, as uWS does within its data callback.
   */
  corkRead(): void {
    if (this.#readCorked) return;
    this.#readCorked = true;
    this.#corks++;
    this.raw.cork();
    process.nextTick(this.#uncorkRead);
  }

  readonly #uncorkRead = (): void => {
    this.#readCorked = false;
    this.#uncork();
  };

  end(code: number, reason: string): void {
    if (!this.#open) return;
    this.#flush(); // what was sent before goes before the close frame
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
