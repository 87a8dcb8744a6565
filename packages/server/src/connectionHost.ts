import type { SessionState } from "@webshocket/guards";
import type { ClientType } from "@webshocket/protocol";
import type { ClientConnection } from "./connection.js";
import type { ResumeRequest } from "./session/sessions.js";

/** What a connection needs from the server that owns it. */
export interface ConnectionHost {
  /** True inside an engine's message callback, where the socket is corked. */
  readonly corked: boolean;
  /** True where RPC answers should join the outboxes rather than go at once (see ClientConnection.sendReply). */
  readonly batchReplies: boolean;
  /** Sends JSON to generic clients as binary frames (true) or text frames (false). */
  readonly jsonBinary: boolean;
  readonly compression: boolean;
  /** Messages longer than this many bytes are sent as fragments (Infinity: never). */
  readonly chunkSize: number;
  /** Bytes a socket may buffer before sends are dropped (0: no limit). */
  readonly maxBackpressure: number;
  subscribe(conn: ClientConnection, names: readonly string[]): boolean;
  unsubscribe(conn: ClientConnection, names: readonly string[]): void;
  /** Queues bytes in `conn`'s outbox, flushed with others under one cork (see Outboxes). */
  batch(conn: ClientConnection, bytes: Uint8Array): void;
  /** Told the result of every send (1 sent, 0 buffered, 2 dropped over the backpressure limit) and its length. */
  sent(conn: ClientConnection, result: number, bytes: number): void;
  /** Ends a suspended resumable session (its client will be told `closed`). */
  endSession?(conn: ClientConnection): void;
}

/** What the handshake decided for a socket (engines hand it to `open`). */
export interface SocketData {
  clientType: ClientType;
  remoteAddress: string;
  initialState: SessionState | undefined;
  /** The upgrade's `resume` query parameter, read when the server has resumption on. */
  resume?: ResumeRequest | undefined;
  /** The upgrade had the `positions` query parameter: channel messages carry their history position (PROTOCOL.md § 12). */
  positions?: boolean;
}
