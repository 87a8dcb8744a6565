import { ClientType, SUBPROTOCOL, codecFor, createPacket, PacketSource, randomId, type Packet, type RPCResponse } from "@webshocket/protocol";
import WebSocket from "ws";

/** A close event as seen by the client. */
export interface Closed {
  code: number;
  reason: string;
}

/**
 * A minimal test client on `ws`: speaks msgpack (framework) or JSON (generic),
 * queues every packet, and lets tests wait on events instead of sleeping.
 */
export class RawClient implements AsyncDisposable {
  readonly packets: Packet[] = [];
  readonly frames: Array<{ binary: boolean }> = [];
  readonly closed: Promise<Closed>;
  #waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  #isClosed = false;
  readonly codec;

  private constructor(
    readonly ws: WebSocket,
    readonly type: ClientType,
  ) {
    this.codec = codecFor(type);
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      this.frames.push({ binary: isBinary });
      this.packets.push(this.codec.decode(isBinary ? new Uint8Array(data) : data.toString("utf8")));
      for (const w of this.#waiters.splice(0)) w.resolve();
    });
    this.closed = new Promise((resolve) =>
      ws.on("close", (code, reason) => {
        this.#isClosed = true;
        for (const w of this.#waiters.splice(0)) w.reject(new Error(`socket closed (${code}) while waiting`));
        resolve({ code, reason: reason.toString() });
      }),
    );
  }

  static async connect(
    url: string,
    type: ClientType = ClientType.FRAMEWORK,
    options: WebSocket.ClientOptions = {},
  ): Promise<RawClient> {
    const ws = new WebSocket(url, type === ClientType.FRAMEWORK ? [SUBPROTOCOL] : [], { maxPayload: 256 * 1024 * 1024, ...options });
    const client = new RawClient(ws, type);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return client;
  }

  /** Sends a packet (or raw bytes/text) as this client type would. */
  sendPacket(packet: Packet): void {
    this.ws.send(this.codec.encode(packet), { binary: this.type === ClientType.FRAMEWORK });
  }

  sendRaw(data: string | Uint8Array, binary = typeof data !== "string"): void {
    this.ws.send(data, { binary });
  }

  /**
   * Sends packets in one TCP write (client frames, masked with a zero key), so the
   * server reads them in one go and handles them in one event-loop turn.
   */
  sendTogether(packets: Packet[]): void {
    const frames = packets.map((packet) => {
      const payload = this.codec.encode(packet);
      const n = payload.length;
      const opcode = this.type === ClientType.FRAMEWORK ? 0x82 : 0x81;
      const head = n < 126 ? [opcode, 0x80 | n] : n < 0x10000 ? [opcode, 0x80 | 126, n >> 8, n & 0xff] : undefined;
      if (head === undefined) throw new RangeError("sendTogether takes packets under 64 KiB");
      return Buffer.concat([Buffer.from([...head, 0, 0, 0, 0]), payload]);
    });
    (this.ws as unknown as { _socket: { write(b: Buffer): void } })._socket.write(Buffer.concat(frames));
  }

  /** Sends an RPC request; returns its call id. */
  request(method: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}, callId = randomId()): string {
    this.sendPacket(createPacket(PacketSource.RPC, { rpc: { type: "request", method, args, kwargs, call_id: callId } }));
    return callId;
  }

  /** Calls and waits for the (single) response. */
  async call(method: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}): Promise<RPCResponse> {
    const id = this.request(method, args, kwargs);
    const packet = await this.waitFor((p) => p.rpc?.type === "response" && p.rpc.call_id === id);
    return packet.rpc as RPCResponse;
  }

  /** All response packets of one call, until is_end (for streams) or the first (otherwise). */
  async collect(callId: string): Promise<RPCResponse[]> {
    const mine = (): RPCResponse[] =>
      this.packets.filter((p) => p.rpc?.type === "response" && p.rpc.call_id === callId).map((p) => p.rpc as RPCResponse);
    await this.waitUntil(() => mine().some((r) => r.is_end || !r.is_stream));
    return mine();
  }

  /** Resolves with the first queued packet matching `pred` (already received or future), removing it. */
  async waitFor(pred: (p: Packet) => boolean): Promise<Packet> {
    for (;;) {
      const i = this.packets.findIndex(pred);
      if (i !== -1) return this.packets.splice(i, 1)[0] as Packet;
      await this.#next();
    }
  }

  /** Resolves when `cond` holds, re-checked on every incoming packet. */
  async waitUntil(cond: () => boolean): Promise<void> {
    while (!cond()) await this.#next();
  }

  #next(): Promise<void> {
    if (this.#isClosed) return Promise.reject(new Error("socket closed while waiting"));
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  async close(): Promise<Closed> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
    return this.closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
