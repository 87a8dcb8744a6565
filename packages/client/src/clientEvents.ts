import type { ConnectionFailedError, ConnectionState, Packet } from "@webshocket/protocol";
import type { ChannelRecovery } from "./recovery.js";
import type { RetryInfo } from "./retry.js";

/** Events of `client.on(event, listener)`, with their payloads. */
export interface ClientEvents {
  /** The socket opened: after `connect()`, and after each successful reconnection. */
  connect: { reconnected: boolean };
  /** The connection dropped (not emitted by `close()`). Calls in flight have already been rejected. */
  disconnect: { code: number; reason: string; willReconnect: boolean };
  /** An attempt failed; the client waits `delayMs` and tries again (during `connect` or reconnection). */
  retry: RetryInfo & { reconnecting: boolean };
  /**
   * Automatic reconnection succeeded after `attempts` attempts. `recovered`: the server resumed the
   * session (state, subscriptions and every message missed, in order); otherwise this is a fresh
   * session, and `reason` says why when resumption was tried ("expired", "overflow", "used",
   * "unknown", "closed", "mismatch"; null otherwise).
   */
  reconnect: { attempts: number; recovered: boolean; reason: string | null };
  /**
   * After a `reconnect` that did not resume the session (or resumed it on another node, `reason: "moved"`):
   * for each channel the client had received positioned messages on, whether the publications missed meanwhile
   * were read from the channel's history (`$history`) and delivered — in order, once, before newer live
   * messages — and how many. `recovered: false`: some are gone (none of the gap was delivered); rebuild.
   */
  recover: { channels: ChannelRecovery[] };
  /** Automatic reconnection gave up; the state is DISCONNECTED. */
  reconnectFailed: { error: ConnectionFailedError };
  /** A packet that is not an RPC response (CUSTOM, CHANNEL, BROADCAST, UNKNOWN). */
  message: Packet;
  /** `client.state` changed. */
  state: { state: ConnectionState; previous: ConnectionState };
}
