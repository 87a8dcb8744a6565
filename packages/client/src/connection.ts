import {
  ConnectionClosedError,
  ConnectionFailedError,
  ConnectionState,
  SUBPROTOCOL,
  type Packet,
  type RawMessage,
  type WireCodec,
} from "@webshocket/protocol";
import type { ClientEvents } from "./clientEvents.js";
import type { Emitter } from "./emitter.js";
import { closeSocket, openSocket, takeEarlyEvents } from "./openSocket.js";
import { DEFAULTS, resolveBackoff, toMs, type ClientOptions, type ConnectOptions } from "./options.js";
import { withRetry } from "./retry.js";
import { OPEN, type OpenRequest, type Transport, type WebSocketLike } from "./transport/types.js";

/** What the connection tells its client. */
export interface ConnectionHooks {
  /** A decoded packet arrived. */
  _onPacket(packet: Packet): void;
  /** The socket is gone: fail what waits on it. `final` when no reconnection follows. */
  _onLost(error: ConnectionClosedError, final: boolean): void;
}

/**
 * One client's socket over time: connecting with retry, the state machine, encoding outgoing
 * packets, decoding incoming ones, and reconnecting after a drop when asked to.
 */
export class Connection {
  #state = ConnectionState.DISCONNECTED;
  #socket: WebSocketLike | undefined;
  #connecting: Promise<void> | undefined;
  /** Aborted by `close()`: stops connecting, waiting and reconnecting. */
  #lifecycle = new AbortController();
  #connectOptions: ConnectOptions = {};
  readonly #request: OpenRequest;
  readonly #uri: string;
  readonly #codec: WireCodec;
  readonly #options: ClientOptions;
  readonly #transport: Transport;
  readonly #events: Emitter<ClientEvents>;
  readonly #hooks: ConnectionHooks;
  /** Session resumption (PROTOCOL.md): the token the server gave, messages seen since, a reconnect awaiting its outcome. */
  private _token: string | undefined;
  private _seen = 0;
  private _attempts = 0;

  constructor(
    uri: string,
    codec: WireCodec,
    options: ClientOptions,
    transport: Transport,
    events: Emitter<ClientEvents>,
    hooks: ConnectionHooks,
  ) {
    this.#uri = uri;
    this.#codec = codec;
    this.#options = options;
    this.#transport = transport;
    this.#events = events;
    this.#hooks = hooks;
    this.#request = {
      _url: uri,
      _protocols: codec.name === "json" ? [] : [SUBPROTOCOL],
      _tls: options.tls,
      _WebSocket: options.WebSocket,
    };
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Connects (joining a connection or reconnection under way). */
  connect(options: ConnectOptions): Promise<void> {
    if (this.#state === ConnectionState.CONNECTED) return Promise.resolve();
    if (this.#connecting) return this.#connecting;
    this.#connectOptions = options;
    if (this.#lifecycle.signal.aborted) this.#lifecycle = new AbortController();
    const lifecycle = this.#lifecycle;
    const forward = (): void => lifecycle.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", forward, { once: true });
    if (options.signal?.aborted) forward();
    this.#setState(ConnectionState.CONNECTING);
    const attempt = this.#open(options.retry ?? DEFAULTS.retry, options, false).then(
      ({ _socket }) => this.#attach(_socket, false),
      (error: unknown) => {
        if (this.#state === ConnectionState.CONNECTING) this.#setState(ConnectionState.DISCONNECTED);
        throw error;
      },
    );
    return this.#track(attempt, () => options.signal?.removeEventListener("abort", forward));
  }

  /** Closes for good (until the next `connect()`); resolves once the socket is closed. */
  async close(code: number, reason: string): Promise<ConnectionClosedError> {
    const error = new ConnectionClosedError("The client was closed", { closeCode: code, reason });
    this.#setState(ConnectionState.CLOSED);
    this.#lifecycle.abort(error);
    const socket = this.#socket;
    this.#socket = undefined;
    this.#hooks._onLost(error, true);
    if (socket) await closeSocket(socket, code, reason, toMs(DEFAULTS.closeTimeout, null));
    return error;
  }

  /** Encodes and sends. @throws ConnectionClosedError when not connected. */
  send(packet: Packet): void {
    const socket = this.#socket;
    if (!socket || this.#state !== ConnectionState.CONNECTED || socket.readyState !== OPEN) {
      throw new ConnectionClosedError(`Not connected to ${this.#uri}`);
    }
    socket.send(this.#codec.encode(packet));
  }

  #track(attempt: Promise<void>, done?: () => void): Promise<void> {
    const tracked = attempt.finally(() => {
      done?.();
      if (this.#connecting === tracked) this.#connecting = undefined;
    });
    this.#connecting = tracked;
    return tracked;
  }

  #setState(state: ConnectionState): void {
    const previous = this.#state;
    if (previous === state) return;
    this.#state = state;
    this.#events._emit("state", { state, previous });
  }

  async #open(retry: boolean, options: ConnectOptions, reconnecting: boolean): Promise<{ _socket: WebSocketLike; _attempts: number }> {
    const signal = this.#lifecycle.signal;
    const timeoutMs = toMs(this.#connectOptions.connectTimeout, DEFAULTS.connectTimeout);
    let attempts = 0;
    const socket = await withRetry(
      (n) => {
        attempts = n + 1;
        // With autoReconnect the client opts in to resumption: `resume=.0` asks for a session, `resume=<token>.<seen>` resumes one;
        // and to positions on channel messages, to recover channels from their history when a session is lost.
        const uri = this.#uri;
        const url = this.#options.autoReconnect ? `${uri}${uri.includes("?") ? "&" : "?"}resume=${this._token ?? ""}.${this._seen}&positions=1` : uri;
        return openSocket(this.#transport, { ...this.#request, _url: url }, timeoutMs, signal);
      },
      {
        ...resolveBackoff(options, retry),
        signal,
        _onRetry: (info) => this.#events._emit("retry", { ...info, reconnecting }),
        _giveUp: (error, n) =>
          new ConnectionFailedError(`Could not connect to ${this.#uri} after ${n} attempt(s): ${error instanceof Error ? error.message : String(error)}`, {
            cause: error,
          }),
      },
    );
    return { _socket: socket, _attempts: attempts };
  }

  #attach(socket: WebSocketLike, reconnected: boolean): void {
    this.#socket = socket;
    socket.onmessage = (event) => this.#onMessage(event.data);
    // onerror stays the no-op openSocket set: an error is always followed by a close event.
    socket.onclose = (event) => this.#onDrop(socket, event.code, event.reason);
    this.#setState(ConnectionState.CONNECTED);
    this.#events._emit("connect", { reconnected });
    const early = takeEarlyEvents(socket);
    for (const data of early._messages) this.#onMessage(data);
    if (early._close) this.#onDrop(socket, early._close.code, early._close.reason);
  }

  #onMessage(data: unknown): void {
    const raw: RawMessage = ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : (data as string | ArrayBuffer);
    const packet = this.#codec.decode(raw);
    const rpc = packet.rpc as { call_id: string; response: { token: string; recovered: boolean; reason: string | null } } | null;
    if (!rpc) this._seen++; // every message but RPC answers is numbered
    else if (rpc.call_id == "$session") {
      const { token, recovered, reason } = rpc.response;
      this._token = token;
      if (!recovered || reason === "moved") this._seen = 0; // a session that moved numbers its messages from 1 again
      return this._reconnected(recovered, reason);
    }
    this.#hooks._onPacket(packet);
  }

  private _reconnected(recovered: boolean, reason: string | null): void {
    const attempts = this._attempts;
    this._attempts = 0;
    if (attempts) this.#events._emit("reconnect", { attempts, recovered, reason });
  }

  #onDrop(socket: WebSocketLike, code: number, reason: string): void {
    if (socket !== this.#socket) return;
    this.#socket = undefined;
    const suffix = reason ? `: ${reason}` : "";
    const error = new ConnectionClosedError(`Connection to ${this.#uri} closed (code ${code}${suffix})`, { closeCode: code, reason });
    const auto = this.#options.autoReconnect ?? false;
    const final = auto === false;
    this.#setState(final ? ConnectionState.DISCONNECTED : ConnectionState.CONNECTING);
    this.#hooks._onLost(error, final);
    this.#events._emit("disconnect", { code, reason, willReconnect: !final });
    if (final) return;
    const options = { ...this.#connectOptions, ...(auto === true ? {} : auto) };
    const attempt = this.#open(true, options, true).then(
      ({ _socket: next, _attempts: attempts }) => {
        this._attempts = attempts; // reported with the session packet (it may come at once, in #attach)
        this.#attach(next, true);
        if (!this._token) this._reconnected(false, null);
      },
      (failure: unknown) => {
        if (this.#state !== ConnectionState.CONNECTING) throw failure; // closed meanwhile
        this.#setState(ConnectionState.DISCONNECTED);
        this.#hooks._onLost(error, true);
        if (failure instanceof ConnectionFailedError) this.#events._emit("reconnectFailed", { error: failure });
        throw failure;
      },
    );
    // Reported through events; a connect() joining it gets the rejection.
    this.#track(attempt).catch(() => {});
  }
}
