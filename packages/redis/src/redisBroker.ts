import { EventEmitter } from "node:events";
import { createClient, type RedisClientOptions } from "@redis/client";
import { randomId } from "@webshocket/protocol";
import type { Broker, Delivery, Logger } from "@webshocket/server";
import { backoff } from "./backoff.js";
import { decodeEnvelope, encodeEnvelope, type Envelope } from "./envelope.js";
import { LinkHealth } from "./linkHealth.js";
import { RedisChannels } from "./redisChannels.js";
import { redactUrl, resolveBrokerOptions, type RedisBrokerOptions, type ResolvedRedisBrokerOptions } from "./redisBrokerOptions.js";
import { RedisUnavailableError } from "./redisUnavailableError.js";
import { SequenceTracker } from "./sequenceTracker.js";
import type { RedisBrokerEvents, RedisBrokerStats, RedisBrokerStatus } from "./redisBrokerStats.js";
import { withTimeout } from "./withTimeout.js";
import { RedisHistory } from "./redisHistory.js";
import { historyPublishArgs, readPositioned } from "./historyPublish.js";
import { POSITIONED } from "./positionHeader.js";
import { SettledGate } from "./settledGate.js";
import { PUBLISH_SCRIPT, PUBLISH_SHA, READ_SCRIPT, runScript } from "./historyScripts.js";

type Client = ReturnType<typeof createClient>;

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Spans channels and broadcasts across server nodes through Redis pub/sub.
 *
 * - Each webshocket channel is one Redis channel (`<prefix>c:<name>`); a node
 *   SUBSCRIBEs to a channel while it has a local subscriber, and while it has any
 *   local glob subscriber it PSUBSCRIBEs to `<prefix>c:*` and lets the server's
 *   fan-out match patterns locally (fnmatch syntax, names past the server's maxChannelNameLength match
 *   none). Broadcasts use `<prefix>b`.
 * - A publish is encoded once (msgpack), delivered to this node's clients at once,
 *   and published to Redis; the copy that comes back is skipped, and a second copy
 *   through another subscription is dropped by sequence number. Per-publisher order holds.
 * - When Redis is lost, local traffic goes on, publishes reject with
 *   {@link RedisUnavailableError}, the broker emits "down", reconnects with backoff,
 *   resubscribes and emits "up" (also written to the server's logger).
 *
 * @example
 * const server = new WebSocketServer({ handler, broker: new RedisBroker({ url: "redis://127.0.0.1:6379" }) });
 */
export class RedisBroker extends EventEmitter<RedisBrokerEvents> implements Broker {
  readonly distributed = true;
  /** This node's id in the cluster (a random UUID per broker). */
  readonly nodeId = randomId();
  readonly options: ResolvedRedisBrokerOptions;
  readonly stats: RedisBrokerStats = { published: 0, publishFailures: 0, received: 0, duplicates: 0, ownEchoes: 0, malformed: 0 };
  readonly #channels: RedisChannels;
  readonly #seen = new SequenceTracker();
  /** Positioned deliveries seen, by channel and epoch: a second copy (exact + pattern subscription) is dropped by offset. */
  readonly #offsets = new SequenceTracker(65_536);
  /** Channel history in Redis (the `history` option); the server uses it as its history. */
  readonly history: RedisHistory | undefined;
  /** While subscriptions are being made: positioned publishes wait for them (in order), so they come back here too. */
  readonly #gate = new SettledGate(() => this.#pending.size, () => this.subscriptionsSettled());
  readonly #health: LinkHealth;
  readonly #pending = new Set<Promise<unknown>>();
  #status: RedisBrokerStatus = "idle";
  #pub: Client | undefined;
  #sub: Client | undefined;
  #deliver: ((d: Delivery) => void) | undefined;
  #logger: Logger = quiet;
  #seq = 0;
  #patternSubscribers = 0;

  /** @throws TypeError / RangeError for bad options. Connects only in `start()`. */
  constructor(options: RedisBrokerOptions = {}) {
    super();
    this.options = resolveBrokerOptions(options);
    this.#channels = new RedisChannels(this.options.prefix);
    const history = this.options.history;
    this.history = history === false ? undefined : new RedisHistory(history, this.options.prefix, () => this.#pub, this.options.publishTimeoutMs);
    this.#health = new LinkHealth(
      (err) => this.#wentDown(err),
      (ms) => this.#cameBack(ms),
    );
  }

  get status(): RedisBrokerStatus {
    return this.#status;
  }

  /** True while both Redis connections are up (the server's `ready`, `/readyz` and `webshocket_broker_up` read it). */
  get linkUp(): boolean {
    return this.#status === "up";
  }

  /** Connects (two connections: commands and subscriptions) and subscribes to broadcasts. */
  async start(deliver: (delivery: Delivery) => void, logger: Logger = quiet): Promise<void> {
    if (this.#status !== "idle") throw new Error("RedisBroker: start() was already called; one broker serves one server.");
    this.#status = "connecting";
    this.#deliver = deliver;
    this.#logger = logger;
    const { url, clientOptions, reconnectMinDelayMs, reconnectMaxDelayMs, connectTimeoutMs } = this.options;
    const base = {
      ...clientOptions,
      url,
      socket: { ...clientOptions.socket, reconnectStrategy: backoff(reconnectMinDelayMs, reconnectMaxDelayMs) },
    } as RedisClientOptions;
    // Commands fail at once while Redis is away; subscriptions wait for the reconnect.
    const pub = (this.#pub = createClient({ ...base, disableOfflineQueue: true }));
    const sub = (this.#sub = createClient(base));
    this.#health.watch("publisher", pub);
    this.#health.watch("subscriber", sub);
    const where = redactUrl(url);
    try {
      await withTimeout(Promise.all([pub.connect(), sub.connect()]), connectTimeoutMs, () =>
        new RedisUnavailableError(`RedisBroker: could not connect to Redis at ${where} within ${connectTimeoutMs} ms.`, { cause: this.#health.lastError }),
      );
      await sub.subscribe(this.#channels.broadcast, this.#onMessage, true);
      if (this.history !== undefined) {
        // Loaded now and after every reconnect, so publishes send only the SHA (EVAL remains the fallback).
        const load = (): Promise<unknown> => Promise.all([PUBLISH_SCRIPT, READ_SCRIPT].map((s) => pub.sendCommand(["SCRIPT", "LOAD", s])));
        await load();
        pub.on("ready", () => void load().catch(() => {}));
      }
    } catch (err) {
      this.#status = "closed";
      pub.destroy();
      sub.destroy();
      throw err;
    }
    this.#status = "up";
    this.#health.arm();
    logger.info(`RedisBroker: node ${this.nodeId} joined the cluster at ${where} (prefix "${this.options.prefix}").`);
  }

  /**
   * Delivers to this node's clients at once, then publishes to Redis for the others; a publish on channels
   * that keep history (the `history` option) goes through the history script and reaches every node, this one
   * included, through Redis. Rejects with {@link RedisUnavailableError} when Redis cannot be reached (the local
   * clients have a publish without history; the other nodes do not), and with a TypeError for a function predicate.
   */
  publish(delivery: Delivery): Promise<void> {
    const pub = this.#pub;
    if (pub === undefined || this.#status === "closed" || this.#status === "connecting") {
      return Promise.reject(new RedisUnavailableError(`RedisBroker: cannot publish while ${this.#status}.`));
    }
    let payload: Buffer;
    try {
      payload = encodeEnvelope(this.nodeId, ++this.#seq, delivery);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    this.stats.published++;
    const targets = delivery.kind === "broadcast" ? [this.#channels.broadcast] : [...new Set(delivery.channels)].map((c) => this.#channels.channel(c));
    const timeout = this.options.publishTimeoutMs;
    const options = timeout > 0 ? { timeout } : undefined;
    const script = this.history === undefined || delivery.kind === "broadcast" ? undefined : historyPublishArgs(this.history, delivery.channels, targets, payload, this.history.options.size);
    let sent: Array<Promise<unknown>>;
    if (script === undefined) {
      this.#deliverLocally(delivery);
      sent = targets.map((target) => pub.sendCommand(["PUBLISH", target, payload], options));
    } else {
      // Delivered here too when it comes back through the subscription, in offset order with every node.
      sent = [this.#gate.run(() => runScript(pub, PUBLISH_SCRIPT, PUBLISH_SHA, script, options))];
    }
    return Promise.all(sent).then(
      () => undefined,
      (err: unknown) => {
        this.stats.publishFailures++;
        const reason = err instanceof Error ? err.message : String(err);
        const reached = script === undefined ? "this node only" : "no node (a channel with history is delivered through Redis)";
        throw new RedisUnavailableError(`RedisBroker: the publish reached ${reached}; Redis at ${redactUrl(this.options.url)} is unavailable (${reason}).`, { cause: err });
      },
    );
  }

  /** Subscribes in Redis to what this node's clients need (called by the server's channel registry). */
  interest(name: string, isPattern: boolean, wanted: boolean): void {
    const sub = this.#sub;
    if (sub === undefined || this.#status === "closed") return;
    if (isPattern) {
      this.#patternSubscribers += wanted ? 1 : -1;
      const all = this.#channels.allChannels;
      if (wanted && this.#patternSubscribers === 1) this.#track(sub.pSubscribe(all, this.#onMessage, true), `PSUBSCRIBE ${all}`);
      if (!wanted && this.#patternSubscribers === 0) this.#track(sub.pUnsubscribe(all, this.#onMessage, true), `PUNSUBSCRIBE ${all}`);
      return;
    }
    const channel = this.#channels.channel(name);
    if (wanted) this.#track(sub.subscribe(channel, this.#onMessage, true), `SUBSCRIBE ${channel}`);
    else this.#track(sub.unsubscribe(channel, this.#onMessage, true), `UNSUBSCRIBE ${channel}`);
  }

  /** Resolves once every (un)subscription asked for so far has been answered by Redis. */
  async subscriptionsSettled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /** Closes both connections (waiting for commands in flight when Redis is up). */
  async close(): Promise<void> {
    if (this.#status === "closed") return;
    this.#status = "closed";
    this.#health.disarm();
    this.#deliver = undefined;
    const quit = (c: Client | undefined): Promise<unknown> => {
      if (c === undefined) return Promise.resolve();
      if (!c.isReady) return Promise.resolve(c.destroy());
      return c.close().catch(() => c.destroy());
    };
    await Promise.all([quit(this.#pub), quit(this.#sub)]);
  }

  readonly #onMessage = (message: Buffer): void => {
    if (message[0] === POSITIONED) return this.#onPositioned(message);
    let envelope: Envelope;
    try {
      envelope = decodeEnvelope(message);
    } catch (err) {
      this.stats.malformed++;
      this.#logger.warn("RedisBroker: dropped a message that is not a webshocket delivery", err);
      return;
    }
    if (envelope.origin === this.nodeId) {
      this.stats.ownEchoes++;
      return;
    }
    if (!this.#seen.fresh(envelope.origin, envelope.seq)) {
      this.stats.duplicates++;
      return;
    }
    this.stats.received++;
    this.#deliverLocally(envelope.delivery);
  };

  /** A publish with history positions: every node delivers it from here, the publisher included; copies dropped by offset. */
  #onPositioned(message: Buffer): void {
    const delivery = readPositioned(message, this.#offsets);
    if (delivery === "duplicate") this.stats.duplicates++;
    else if (delivery instanceof Error) {
      this.stats.malformed++;
      this.#logger.warn("RedisBroker: dropped a positioned message that is not a webshocket delivery", delivery);
    } else {
      this.stats.received++;
      this.#deliverLocally(delivery);
    }
  }

  #deliverLocally(delivery: Delivery): void {
    try {
      this.#deliver?.(delivery);
    } catch (err) {
      this.#logger.error("RedisBroker: delivering to local clients failed", err);
    }
  }

  #track(op: Promise<unknown>, what: string): void {
    const tracked = op.then(
      () => undefined,
      (err: unknown) => {
        if (this.#status !== "closed") this.#logger.warn(`RedisBroker: ${what} failed`, err);
      },
    );
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }

  #wentDown(err: Error): void {
    if (this.#status !== "up") return;
    this.#status = "down";
    this.#logger.error(
      `RedisBroker: lost Redis at ${redactUrl(this.options.url)} (${err.message}); local clients are still served, publishes to other nodes fail until it is back. Reconnecting with backoff.`,
    );
    this.emit("down", err);
  }

  #cameBack(outageMs: number): void {
    if (this.#status !== "down") return;
    this.#status = "up";
    this.#logger.warn(`RedisBroker: Redis at ${redactUrl(this.options.url)} is back after ${outageMs} ms; subscriptions restored.`);
    this.emit("up", outageMs);
  }
}
