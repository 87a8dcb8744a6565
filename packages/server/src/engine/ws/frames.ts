/**
 * Server-to-client WebSocket frames written by hand (RFC 6455 §5.2: unmasked, no extension bits; whole messages
 * or the fragments of one),
 * for the ws engine's uncompressed sends: `ws`'s own sender allocates per message and makes two stream
 * writes with a callback each; corked messages written this way leave in one write per batch.
 */
export class FrameBatch {
  #parts: Buffer[] = [];
  #bytes = 0;

  /** Bytes queued. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Queues one complete frame carrying `payload` as text (opcode 1) or binary (opcode 2). */
  add(payload: Uint8Array, binary: boolean): void {
    this.#frame(payload, binary ? 0x82 : 0x81);
  }

  /**
   * Queues one frame of a fragmented message: opcode 1 or 2 on the first, 0 (continuation) after it; `fin` on
   * the last. The payload is not copied.
   */
  addFragment(payload: Uint8Array, opcode: number, fin: boolean): void {
    this.#frame(payload, (fin ? 0x80 : 0) | opcode);
  }

  /** Queues a frame whose first byte (FIN and opcode) is `head`. */
  #frame(payload: Uint8Array, head: number): void {
    const n = payload.length;
    const header = Buffer.allocUnsafe(n < 126 ? 2 : n < 65536 ? 4 : 10);
    header[0] = head;
    if (n < 126) header[1] = n;
    else if (n < 65536) {
      header[1] = 126;
      header.writeUInt16BE(n, 2);
    } else {
      header[1] = 127;
      header.writeUInt32BE(Math.floor(n / 0x100000000), 2);
      header.writeUInt32BE(n >>> 0, 6);
    }
    this.#parts.push(header, Buffer.from(payload.buffer, payload.byteOffset, n));
    this.#bytes += header.length + n;
  }

  /**
   * Hands what is queued to `write`: small batches copied into one buffer (one write), large ones part by
   * part (the payloads are not copied). `done` goes with the last write.
   */
  flush(write: (chunk: Buffer, done?: () => void) => void, done: () => void): void {
    const parts = this.#parts;
    if (parts.length === 0) return;
    const bytes = this.#bytes;
    this.#parts = [];
    this.#bytes = 0;
    if (bytes <= 64 * 1024) return write(Buffer.concat(parts, bytes), done);
    const last = parts.length - 1;
    for (let i = 0; i < last; i++) write(parts[i] as Buffer);
    write(parts[last] as Buffer, done);
  }
}
