import {
  ClientType,
  CloseCode,
  ConnectionClosedError,
  ConnectionState,
  PacketSource,
  ReceiveTimeoutError,
  codecFor,
  createPacket,
  type Codec,
  type Packet,
} from "@webshocket/protocol";
import type { SessionState } from "@webshocket/guards";
import type { WebSocket } from "./native.js";
import { PacketQueue } from "./packetQueue.js";

/** What a connection needs from the server that owns it. */
export interface ConnectionHost {
  /** True while uWebSockets.js has the sockets corked (inside one of its callbacks). */
  readonly corked: boolean;
  /** Sends JSON to generic clients as binary frames (true) or text frames (false). */
  readonly jsonBinary: boolean;
  readonly compression: boolean;
  subscribe(conn: ClientConnection, names: readonly string[]): boolean;
  unsubscribe(conn: ClientConnection, names: readonly string[]): void;
  /** Told the result of every send: 1 sent, 0 buffered, 2 dropped over the backpressure limit. */
  sent(conn: ClientConnection, result: number): void;
}

/** What uWebSockets.js keeps per socket. */
export interface SocketData {
  conn: ClientConnection | undefined;
  clientType: ClientType;
  remoteAddress: string;
  initialState: SessionState | undefined;
}

const PACKET_KEYS = new Set(["source", "data", "rpc", "channel", "timestamp", "correlation_id"]);

/** True for a value shaped like a full Packet (as built by `createPacket` or decoded). */
export function isPacket(value: unknown): value is Packet {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length === PACKET_KEYS.size &&
    keys.every((k) => PACKET_KEYS.has(k)) &&
    typeof (value as { source?: unknown }).source === "number"
  );
}

function toIterable(channels: string | Iterable<string>): string[] {
  return typeof channels === "string" ? [channels] : [...channels];
}

/**
 * One connected client. Session state lives in `state` and is gone on disconnect.
 * In manual mode (server without a handler), read packets with `recv()` or `for await`.
 */
export class ClientConnection<TState extends object = SessionState> implements AsyncIterable<Packet> {
  /** A unique id for this connection. */
  readonly uid: string;
  /** The client's IP address as text. */
  readonly remoteAddress: string;
  /** FRAMEWORK (msgpack) or GENERIC (JSON). */
  readonly clientType: ClientType;
  /** Per-connection session state; assign freely (`conn.state.username = "alice"`). */
  readonly state: Partial<TState>;
  /** The codec this client speaks. */
  readonly codec: Codec;
  /** @internal Exact channels and patterns this connection is subscribed to. */
  readonly channelSet = new Set<string>();
  /** @internal Running streaming RPCs by call id. */
  readonly streams = new Map<string, AsyncIterator<unknown> | Iterator<unknown>>();
  /** @internal RPC calls running now. */
  inflight = 0;
  /** @internal Packets for recv(), in manual mode. */
  readonly queue: PacketQueue;
  #state = ConnectionState.CONNECTED;
  #ws: WebSocket<SocketData> | undefined;
  readonly #host: ConnectionHost;
  readonly #binary: boolean;
  #drainWaiters: Array<{ limit: number; resolve: () => void }> = [];
  /** Set while a slow consumer is being let go: nothing more is sent. */
  #evicting = false;

  /** @internal Created by the server. */
  constructor(ws: WebSocket<SocketData>, host: ConnectionHost, uid: string, queueSize: number) {
    const data = ws.getUserData();
    this.#ws = ws;
    this.#host = host;
    this.uid = uid;
    this.remoteAddress = data.remoteAddress;
    this.clientType = data.clientType;
    this.codec = codecFor(data.clientType);
    this.#binary = data.clientType === ClientType.FRAMEWORK || host.jsonBinary;
    const state = Object.create(null) as Partial<TState>;
    if (data.initialState) for (const [k, v] of Object.entries(data.initialState)) Object.defineProperty(state, k, { value: v, enumerable: true, writable: true, configurable: true });
    this.state = state;
    this.queue = new PacketQueue(queueSize);
  }

  /** CONNECTED until the socket closes, then CLOSED. */
  get connectionState(): ConnectionState {
    return this.#state;
  }

  /** The channels and patterns this connection is subscribed to (a copy). */
  get subscribedChannels(): Set<string> {
    return new Set(this.channelSet);
  }

  /** @internal The uWebSockets.js socket while open. */
  get socket(): WebSocket<SocketData> | undefined {
    return this.#ws;
  }

  /** Bytes queued in the socket waiting to be written (0 once closed). */
  get bufferedAmount(): number {
    return this.#ws?.getBufferedAmount() ?? 0;
  }

  /**
   * Sends data. A Packet goes as it is; anything else is wrapped in a CUSTOM packet.
   * Returns false when the connection is closed or the message was dropped.
   */
  send(data: unknown): boolean {
    return this.sendPacket(isPacket(data) ? data : createPacket(PacketSource.CUSTOM, { data }));
  }

  /** Encodes and sends one packet in this client's format. */
  sendPacket(packet: Packet): boolean {
    return this.sendEncoded(this.codec.encode(packet));
  }

  /** @internal Sends bytes already encoded in this client's format. */
  sendEncoded(bytes: Uint8Array): boolean {
    const ws = this.#ws;
    if (ws === undefined || this.#evicting) return false;
    let result = 0;
    if (this.#host.corked) result = ws.send(bytes, this.#binary, this.#host.compression);
    else ws.cork(() => (result = ws.send(bytes, this.#binary, this.#host.compression)));
    this.#host.sent(this, result);
    return result !== 2;
  }

  /**
   * Subscribes to one or more channels; glob patterns (`news.*`) are allowed.
   * Returns false, subscribing none of them, when the server's maxSubscribedChannels would be passed.
   */
  subscribe(channels: string | Iterable<string>): boolean {
    return this.#ws !== undefined && this.#host.subscribe(this, toIterable(channels));
  }

  /** Leaves one or more channels or patterns. */
  unsubscribe(channels: string | Iterable<string>): void {
    this.#host.unsubscribe(this, toIterable(channels));
  }

  /** Closes the connection with a WebSocket close code (default 1000) and reason. */
  close(code: number = CloseCode.NORMAL, reason = ""): void {
    const ws = this.#ws;
    if (ws === undefined) return;
    this.#state = ConnectionState.CLOSED;
    ws.end(code, reason);
  }

  /**
   * @internal Stops sending to this socket (and unsubscribes it from native topics),
   * closes it with `code` once its buffer has drained, or drops it after `graceMs`.
   */
  closeWhenDrained(code: number, reason: string, graceMs: number): void {
    const ws = this.#ws;
    if (ws === undefined || this.#evicting) return;
    this.#evicting = true;
    for (const topic of ws.getTopics()) ws.unsubscribe(topic);
    const timer = setTimeout(() => this.#ws?.close(), graceMs);
    const attempt = (): void => {
      if (this.#ws === undefined) return clearTimeout(timer);
      if (this.#ws.getBufferedAmount() > 0) return void this.waitForDrain(0).then(attempt);
      clearTimeout(timer);
      this.close(code, reason);
    };
    attempt();
  }

  /**
   * Waits for the next packet (manual mode: a server without a handler).
   * @param timeout seconds to wait; default 30; null waits forever.
   * @throws ReceiveTimeoutError on timeout; ConnectionClosedError once closed and drained.
   */
  recv(timeout: number | null = 30): Promise<Packet> {
    return this.queue.take(timeout === null ? null : timeout * 1000, () => new ReceiveTimeoutError(`No message received within ${timeout} seconds.`));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Packet> {
    for (;;) {
      try {
        yield await this.queue.take(null, () => new ReceiveTimeoutError("unreachable"));
      } catch (err) {
        if (err instanceof ConnectionClosedError) return;
        throw err;
      }
    }
  }

  /** @internal Resolves when the socket's buffer drains below `limit` bytes (or the socket closes). */
  waitForDrain(limit: number): Promise<void> {
    if (this.#ws === undefined || this.#ws.getBufferedAmount() <= limit) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push({ limit, resolve }));
  }

  /** @internal Called by the server on uWebSockets.js's drain event. */
  drained(): void {
    const buffered = this.#ws?.getBufferedAmount() ?? 0;
    const ready = this.#drainWaiters.filter((w) => this.#ws === undefined || buffered <= w.limit);
    if (ready.length === 0) return;
    this.#drainWaiters = this.#drainWaiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }

  /** @internal Called by the server when the socket has closed. */
  closed(): void {
    this.#ws = undefined;
    this.#state = ConnectionState.CLOSED;
    this.drained();
    this.queue.close(new ConnectionClosedError("The connection is closed."));
  }

  toString(): string {
    return `ClientConnection(${this.uid}, ${this.clientType}, ${this.remoteAddress})`;
  }
}
