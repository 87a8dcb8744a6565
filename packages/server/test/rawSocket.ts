import { once } from "node:events";
import { connect, type Socket } from "node:net";

/** One server frame as it came off the wire. */
export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** One client frame, masked with a zero key (RFC 6455 requires a mask; a zero key leaves the payload as is). */
export function clientFrame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length;
  const head = n < 126 ? [0x80 | opcode, 0x80 | n] : n < 65536 ? [0x80 | opcode, 0x80 | 126, n >> 8, n & 0xff] : undefined;
  if (head === undefined) throw new RangeError("clientFrame: payload too long for this helper");
  return Buffer.concat([Buffer.from([...head, 0, 0, 0, 0]), payload]);
}

/**
 * A WebSocket client on a raw TCP socket: sends the handshake with `headers` added, then reads the HTTP answer
 * and the server's frames exactly as they arrive, so tests can see how a message was cut into frames.
 */
export class RawSocket {
  /** The HTTP answer's head (status line and headers), once read. */
  head = "";
  readonly frames: Frame[] = [];
  readonly #socket: Socket;
  #chunks: Buffer[] = [];
  #bytes = 0;
  #waiters: Array<() => void> = [];
  #closed = false;
  /** Bytes needed before the next frame is complete (0: parse on every chunk). */
  #need = 0;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.#chunks.push(chunk);
      this.#bytes += chunk.length;
      if (this.#bytes >= this.#need) this.#parse();
      this.#wake();
    });
    socket.on("close", () => {
      this.#closed = true;
      this.#wake();
    });
    socket.on("error", () => {});
  }

  /** Opens a socket to 127.0.0.1:`port` and sends an upgrade request for `path` with `headers` (raw lines). */
  static async open(port: number, headers: readonly string[] = [], path = "/"): Promise<RawSocket> {
    const socket = connect(port, "127.0.0.1");
    await once(socket, "connect");
    const raw = new RawSocket(socket);
    const lines = [`GET ${path} HTTP/1.1`, "Host: 127.0.0.1", "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13", ...headers];
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
    return raw;
  }

  /** The HTTP status of the answer (waits for it). */
  async status(): Promise<number> {
    await this.until(() => this.head !== "");
    return Number(this.head.split(" ")[1]);
  }

  /** The value of header `name` in the HTTP answer, if any. */
  header(name: string): string | undefined {
    const line = this.head.split("\r\n").find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    return line?.slice(line.indexOf(":") + 1).trim();
  }

  send(opcode: number, payload: Buffer): void {
    this.#socket.write(clientFrame(opcode, payload));
  }

  /** Resolves once `done()` holds (checked as data arrives); rejects if the socket closes first. */
  until(done: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (done()) resolve();
        else if (this.#closed) reject(new Error(`socket closed; head ${JSON.stringify(this.head.split("\r\n")[0])}, frames ${JSON.stringify(this.frames.slice(0, 3).map((f) => [f.opcode, f.fin, f.payload.subarray(0, 80).toString()]))}`));
        else this.#waiters.push(check);
      };
      check();
    });
  }

  /** Resolves when the server has closed the connection. */
  closed(): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => (this.#closed ? resolve() : void this.#waiters.push(check));
      check();
    });
  }

  end(): void {
    this.#socket.destroy();
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Takes the HTTP head and then every complete frame off what has arrived. */
  #parse(): void {
    this.#need = 0;
    let buf = this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks, this.#bytes);
    if (this.head === "") {
      const end = buf.indexOf("\r\n\r\n");
      if (end < 0) return void (this.#chunks = [buf]);
      this.head = buf.subarray(0, end).toString("latin1");
      buf = buf.subarray(end + 4);
    }
    for (;;) {
      if (buf.length < 2) break;
      let n = (buf[1] as number) & 0x7f;
      let head = 2;
      if (n === 126) {
        if (buf.length < 4) break;
        [n, head] = [buf.readUInt16BE(2), 4];
      } else if (n === 127) {
        if (buf.length < 10) break;
        [n, head] = [Number(buf.readBigUInt64BE(2)), 10];
      }
      if (buf.length < head + n) {
        // Wait for the rest without concatenating on every chunk: only once enough has arrived.
        this.#need = head + n;
        break;
      }
      this.frames.push({ fin: ((buf[0] as number) & 0x80) !== 0, opcode: (buf[0] as number) & 0x0f, payload: Buffer.from(buf.subarray(head, head + n)) });
      buf = buf.subarray(head + n);
    }
    this.#chunks = buf.length === 0 ? [] : [buf];
    this.#bytes = buf.length;
  }
}

/** Whole messages put together from data frames, checking that no other frame came between a message's fragments. */
export function messages(frames: readonly Frame[]): Array<{ opcode: number; data: Buffer; frames: number[] }> {
  const out: Array<{ opcode: number; data: Buffer; frames: number[] }> = [];
  let open: { opcode: number; parts: Buffer[] } | undefined;
  for (const f of frames) {
    if (f.opcode >= 8) continue; // control frames may come between fragments
    if (open === undefined) {
      if (f.opcode === 0) throw new Error("continuation frame without a first fragment");
      open = { opcode: f.opcode, parts: [] };
    } else if (f.opcode !== 0) throw new Error(`a new message (opcode ${f.opcode}) began inside a fragmented one`);
    open.parts.push(f.payload);
    if (f.fin) {
      out.push({ opcode: open.opcode, data: Buffer.concat(open.parts), frames: open.parts.map((p) => p.length) });
      open = undefined;
    }
  }
  return out;
}
