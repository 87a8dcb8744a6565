import { checkPredicate, type PredicateLike } from "@webshocket/guards";
import { ClientType, PacketSource, createPacket, jsonCodec, msgpackCodec, type Packet } from "@webshocket/protocol";
import type { ClientConnection } from "../connection.js";
import type { TemplatedApp } from "../native.js";
import type { ChannelRegistry } from "./channelRegistry.js";
import type { Outboxes } from "./outboxes.js";
import { broadcastTopic, channelTopic } from "./topics.js";

/** One publish or broadcast, as data: what a broker carries between nodes. */
export interface Delivery {
  readonly kind: "channel" | "broadcast";
  /** Target channels (kind "channel"). */
  readonly channels: readonly string[];
  readonly data: unknown;
  /** Uids of connections that must not receive it. */
  readonly exclude: readonly string[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly predicate: PredicateLike<any> | undefined;
}

/** Encodes a packet at most once per client type. */
class Encoded {
  #m: Uint8Array | undefined;
  #j: Uint8Array | undefined;
  constructor(readonly packet: Packet) {}
  for(type: ClientType): Uint8Array {
    return type === ClientType.FRAMEWORK
      ? (this.#m ??= msgpackCodec.encode(this.packet))
      : (this.#j ??= jsonCodec.encode(this.packet));
  }
}

/**
 * Delivers publishes and broadcasts to local connections. Exact-channel and
 * broadcast traffic without a predicate goes through uWebSockets.js's native
 * topic publish (sockets join the broadcast topics at the first broadcast) (one excluded connection included: it publishes "as" that socket,
 * which uWS skips); pattern subscribers, predicates and larger exclude lists take
 * the per-client path. Every recipient gets a given publish once.
 */
export class Fanout {
  constructor(
    private readonly app: TemplatedApp,
    private readonly registry: ChannelRegistry,
    private readonly clients: ReadonlyMap<string, ClientConnection>,
    private readonly jsonBinary: boolean,
    private readonly compression: boolean,
    private readonly outboxes: Outboxes,
  ) {}

  deliver(d: Delivery): void {
    if (d.kind === "broadcast") {
      this.#deliverOne(createPacket(PacketSource.BROADCAST, { data: d.data }), d, undefined);
      return;
    }
    for (const channel of new Set(d.channels)) {
      this.#deliverOne(createPacket(PacketSource.CHANNEL, { data: d.data, channel }), d, channel);
    }
  }

  #deliverOne(packet: Packet, d: Delivery, channel: string | undefined): void {
    const encoded = new Encoded(packet);
    if (d.predicate !== undefined || d.exclude.length > 1) {
      const targets = channel === undefined ? this.clients.values() : this.registry.recipients(channel);
      const excluded = d.exclude.length === 0 ? undefined : new Set(d.exclude);
      const predicate = d.predicate;
      for (const conn of targets) {
        if (excluded?.has(conn.uid) === true || (predicate !== undefined && !checkPredicate(predicate, conn))) continue;
        this.outboxes.add(conn, encoded.for(conn.clientType));
      }
      return;
    }
    const excludedUid = d.exclude[0];
    const excludedConn = excludedUid === undefined ? undefined : this.clients.get(excludedUid);
    if (channel === undefined) {
      this.#goLive();
      this.#native(broadcastTopic(ClientType.FRAMEWORK), ClientType.FRAMEWORK, encoded, excludedConn);
      this.#native(broadcastTopic(ClientType.GENERIC), ClientType.GENERIC, encoded, excludedConn);
      return;
    }
    const counts = this.registry.countsOf(channel);
    if (counts && counts.framework > 0) this.#native(channelTopic(ClientType.FRAMEWORK, channel), ClientType.FRAMEWORK, encoded, excludedConn);
    if (counts && counts.generic > 0) this.#native(channelTopic(ClientType.GENERIC, channel), ClientType.GENERIC, encoded, excludedConn);
    if (this.registry.patterns.size === 0) return;
    for (const conn of this.registry.patternOnly(channel)) {
      if (conn.uid !== excludedUid) this.outboxes.add(conn, encoded.for(conn.clientType));
    }
  }

  /**
   * True once a broadcast has gone out natively. Until then no socket is subscribed to
   * the broadcast topics: a uWS topic subscription costs every connection memory (~150–300
   * bytes per idle connection in apps/bench) and every channel publish a second topic to
   * check per subscriber, which servers that never broadcast need not pay.
   */
  get broadcastLive(): boolean {
    return this.#broadcastLive;
  }
  #broadcastLive = false;

  /** Subscribes `conn` to its broadcast topic if broadcasts are live (a connection just opened). */
  opened(conn: ClientConnection): void {
    if (this.#broadcastLive) conn.subscribeNative(broadcastTopic(conn.clientType));
  }

  /** Before the first native broadcast: every open connection joins its broadcast topic. */
  #goLive(): void {
    if (this.#broadcastLive) return;
    this.#broadcastLive = true;
    for (const conn of this.clients.values()) conn.subscribeNative(broadcastTopic(conn.clientType));
  }

  #native(topic: string, type: ClientType, encoded: Encoded, excluded: ClientConnection | undefined): void {
    if (this.outboxes.pending) this.outboxes.flush(); // earlier per-client messages go out first
    const bytes = encoded.for(type);
    const binary = type === ClientType.FRAMEWORK || this.jsonBinary;
    const ws = excluded?.clientType === type ? excluded.socket : undefined;
    if (ws !== undefined && ws.isSubscribed(topic)) ws.publish(topic, bytes, binary, this.compression);
    else this.app.publish(topic, bytes, binary, this.compression);
  }
}
