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
import type { ConnectionHost, SocketData } from "./connectionHost.js";
import { channelList } from "./channelList.js";
import { isPacket } from "./isPacket.js";
import type { EngineSocket } from "./engine/engine.js";
import { PacketQueue } from "./packetQueue.js";
import { sendFragmented } from "./sendFragmented.js";
import { createSessionState } from "./sessionState.js";
import type { Session } from "./session/session.js";

export type { ConnectionHost, SocketData } from "./connectionHost.js";
export { isPacket } from "./isPacket.js";


/**
 * One connected client. Session state lives in `state` and is gone on disconnect.
 * In manual mode (server without a handler), read packets with `recv()` or `for await`.
 */
export class ClientConnection<TState extends object = SessionState> implements AsyncIterable<Packet> {
  /** A unique id for this connection. */
  readonly uid: string;
  /** The client's IP address as text (of its latest socket, after a resume). */
  remoteAddress: string;
  /** FRAMEWORK (msgpack) or GENERIC (JSON). */
  readonly clientType: ClientType;
  /** The codec this client speaks. */
  readonly codec: Codec;
  /** @internal RPC calls running now. */
  inflight = 0;
  /** @internal Its resumable session (the server's `resume` option, and a client that opted in). */
  session: Session | undefined;
  /** @internal The client opted in to positions on channel messages (`?positions`, PROTOCOL.md § 12). */
  readonly positions: boolean;
  // Created on first use: an idle connection should cost little memory (apps/bench, section 3).
  #channels: Set<string> | undefined;
  #streams: Map<string, AsyncIterator<unknown> | Iterator<unknown>> | undefined;
  #queue: PacketQueue | undefined;
  #sessionState: Partial<TState> | undefined;
  #initialState: SessionState | undefined;
  #drainWaiters: Array<{ limit: number; resolve: () => void }> | undefined;
  /** Fan-out messages waiting for the next flush (see Outboxes). */
  #outbox: Uint8Array[] | undefined;
  #outboxBytes = 0;
  #state = ConnectionState.CONNECTED;
  #ws: EngineSocket | undefined;
  readonly #host: ConnectionHost;
  readonly #binary: boolean;
  /** Messages longer than this go as fragments (options.chunkSize; Infinity: never). */
  readonly #chunk: number;
  readonly #queueSize: number;
  /** Set while a slow consumer is being let go: nothing more is sent. */
  #evicting = false;

  /** @internal Created by the server. */
  constructor(ws: EngineSocket, data: SocketData, host: ConnectionHost, uid: string, queueSize: number) {
    this.#ws = ws;
    this.#host = host;
    this.uid = uid;
    this.remoteAddress = data.remoteAddress;
    this.clientType = data.clientType;
    this.codec = codecFor(data.clientType);
    this.#binary = data.clientType === ClientType.FRAMEWORK || host.jsonBinary;
    this.#chunk = host.chunkSize;
    this.#initialState = data.initialState;
    this.#queueSize = queueSize;
    this.positions = data.positions === true;
  }

  /** Per-connection session state; assign freely (`conn.state.username = "alice"`). */
  get state(): Partial<TState> {
    if (this.#sessionState !== undefined) return this.#sessionState;
    const state = createSessionState<TState>(this.#initialState);
    this.#initialState = undefined;
    return (this.#sessionState = state);
  }

  /** @internal Exact channels and patterns this connection is subscribed to. */
  get channelSet(): Set<string> {
    return (this.#channels ??= new Set());
  }

  /** @internal True when subscribed to `name` exactly (or to the pattern `name`). */
  subscribedTo(name: string): boolean {
    return this.#channels !== undefined && this.#channels.has(name);
  }

  /** @internal Running streaming RPCs by call id. */
  get streams(): Map<string, AsyncIterator<unknown> | Iterator<unknown>> {
    return (this.#streams ??= new Map());
  }

  /** @internal Call ids of the running streams (none allocated for a connection that never streamed). */
  streamIds(): string[] {
    return this.#streams === undefined ? [] : [...this.#streams.keys()];
  }

  /** @internal Packets for recv(), in manual mode. */
  get queue(): PacketQueue {
    if (this.#queue === undefined) {
      this.#queue = new PacketQueue(this.#queueSize);
      if (this.#ws === undefined) this.#queue.close(new ConnectionClosedError("The connection is closed."));
    }
    return this.#queue;
  }

  /** CONNECTED until the socket closes, then CLOSED; DISCONNECTED while a resumable session is suspended. */
  get connectionState(): ConnectionState {
    return this.#state;
  }

  /** The channels and patterns this connection is subscribed to (a copy). */
  get subscribedChannels(): Set<string> {
    return new Set(this.#channels);
  }

  /** @internal The engine's socket while open. */
  get socket(): EngineSocket | undefined {
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
    const bytes = this.codec.encode(packet);
    // A resumable session numbers every message that is not an RPC answer, and keeps it for a replay.
    if (this.session !== undefined && packet.rpc === null && !this.session.record(bytes)) return !this.session.ended;
    return this.sendEncoded(bytes);
  }

  /** @internal Sends bytes already encoded in this client's format. */
  sendEncoded(bytes: Uint8Array | string): boolean {
    const ws = this.#ws;
    if (ws === undefined || this.#evicting) return false;
    if (this.#outbox !== undefined) this.flush(); // fan-out messages queued earlier go first
    let result = 0;
    if (this.#host.corked) result = this.#send(ws, bytes);
    else ws.cork(() => (result = this.#send(ws, bytes)));
    this.#host.sent(this, result, bytes.length);
    return result !== 2;
  }

  /** One message to the socket: in one frame, or in fragments when longer than chunkSize (a string's UTF-8 may be 3× its length). */
  #send(ws: EngineSocket, bytes: Uint8Array | string): number {
    const host = this.#host;
    if ((typeof bytes === "string" ? bytes.length * 3 : bytes.length) <= this.#chunk) return ws.send(bytes, this.#binary, host.compression);
    return sendFragmented(ws, bytes, this.#binary, host.compression, this.#chunk, host.maxBackpressure);
  }

  /**
   * @internal Sends an RPC answer. The answer to the first message of an event-loop
   * turn goes at once (a lone request keeps its latency); answers made in later
   * message callbacks of the same turn join this connection's outbox, flushed with
   * every other connection's at the end of the turn (see Outboxes). So the answers to
   * everything uWS hands over in one turn leave together, instead of one write per
   * socket between the others' processing, each of which woke a waiting peer
   * (apps/bench 64×16: −15% server CPU per call). Order is kept.
   */
  sendReply(bytes: Uint8Array): boolean {
    return this.#host.batchReplies ? this.sendBatched(bytes) : this.sendEncoded(bytes);
  }

  /** @internal Sends bytes in the next batch (see Outboxes): order kept, one write for many messages. */
  sendBatched(bytes: Uint8Array): boolean {
    if (this.#ws === undefined || this.#evicting) return false;
    this.#host.batch(this, bytes);
    return true;
  }

  /**
   * @internal Queues a fan-out message until the next flush; returns how many are
   * queued now (1: the caller registers this connection for flushing; 0: not queued).
   */
  enqueue(bytes: Uint8Array): number {
    if (this.#ws === undefined || this.#evicting) return 0;
    this.#outboxBytes += bytes.length;
    if (this.#outbox !== undefined) return this.#outbox.push(bytes);
    this.#outbox = [bytes];
    return 1;
  }

  /** @internal The Outboxes round in which this outbox last flushed early (see Outboxes.add). */
  outboxRound = -1;

  /** @internal Bytes waiting in the outbox (not yet handed to the socket). */
  get outboxBytes(): number {
    return this.#outboxBytes;
  }

  /** @internal Sends every queued fan-out message under one cork: one write for the lot. */
  flush(): void {
    const box = this.#outbox;
    const ws = this.#ws;
    this.#outbox = undefined;
    this.#outboxBytes = 0;
    if (box === undefined || ws === undefined || this.#evicting) return;
    const send = (): void => {
      for (const bytes of box) {
        const result = this.#send(ws, bytes);
        this.#host.sent(this, result, bytes.length);
        if (result === 2 || this.#evicting) return;
      }
    };
    if (this.#host.corked) send();
    else ws.cork(send);
  }

  /**
   * Subscribes to one or more channels; glob patterns (`news.*`) are allowed.
   * Returns false, subscribing none of them, when the server's maxSubscribedChannels would be passed.
   */
  subscribe(channels: string | Iterable<string>): boolean {
    return this.#ws !== undefined && this.#host.subscribe(this, channelList(channels));
  }

  /** Leaves one or more channels or patterns. */
  unsubscribe(channels: string | Iterable<string>): void {
    this.#host.unsubscribe(this, channelList(channels));
  }

  /** Closes the connection with a WebSocket close code (default 1000) and reason; a suspended session ends at once. */
  close(code: number = CloseCode.NORMAL, reason = ""): void {
    const ws = this.#ws;
    if (ws === undefined) {
      if (this.session !== undefined) this.#host.endSession?.(this); // suspended: ends the session now
      return;
    }
    if (this.#outbox !== undefined) this.flush();
    this.#state = ConnectionState.CLOSED;
    ws.end(code, reason);
  }

  /**
   * @internal Stops sending to this socket,
   * closes it with `code` once its buffer has drained, or drops it after `graceMs`.
   */
  closeWhenDrained(code: number, reason: string, graceMs: number): void {
    const ws = this.#ws;
    if (ws === undefined || this.#evicting) return;
    this.#evicting = true;
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
    return new Promise((resolve) => (this.#drainWaiters ??= []).push({ limit, resolve }));
  }

  /** @internal Called by the server on the engine's drain event. */
  drained(): void {
    if (this.#drainWaiters === undefined) return;
    const buffered = this.#ws?.getBufferedAmount() ?? 0;
    const ready = this.#drainWaiters.filter((w) => this.#ws === undefined || buffered <= w.limit);
    if (ready.length === 0) return;
    this.#drainWaiters = this.#drainWaiters.filter((w) => !ready.includes(w));
    // Waiters go on writing; they must do it after uWS's writable dispatch, not in this callback's microtasks:
    // writes made there left a socket on no uWS topic without any further drain event (uWS 20.30), and its
    // stream stalled (test/streaming.test.ts, slow reader).
    if (this.#ws === undefined) for (const w of ready) w.resolve();
    else setImmediate(() => ready.forEach((w) => w.resolve()));
  }

  /** @internal True while a slow consumer is being let go. */
  get evicting(): boolean {
    return this.#evicting;
  }

  /** @internal The socket dropped but the session is kept (resumption): everything but the socket stays. */
  suspend(): void {
    this.#ws = undefined;
    this.#state = ConnectionState.DISCONNECTED;
    this.#outbox = undefined; // numbered messages in it are in the session's replay buffer
    this.#outboxBytes = 0;
    this.drained();
  }

  /** @internal A resumed session's new socket. */
  attach(ws: EngineSocket, remoteAddress: string): void {
    this.#ws = ws;
    this.#state = ConnectionState.CONNECTED;
    this.#evicting = false;
    this.remoteAddress = remoteAddress;
  }

  /** @internal Called by the server when the socket has closed. */
  closed(): void {
    this.#ws = undefined;
    this.#state = ConnectionState.CLOSED;
    this.#outbox = undefined;
    this.#outboxBytes = 0;
    this.drained();
    this.#queue?.close(new ConnectionClosedError("The connection is closed."));
  }

  toString(): string {
    return `ClientConnection(${this.uid}, ${this.clientType}, ${this.remoteAddress})`;
  }
}
