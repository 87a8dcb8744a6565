/**
 * Server-to-client WebSocket frames written by hand (RFC 6455 §5.2: FIN set, unmasked, no extension bits),
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
    const n = payload.length;
    const header = Buffer.allocUnsafe(n < 126 ? 2 : n < 65536 ? 4 : 10);
    header[0] = binary ? 0x82 : 0x81;
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
