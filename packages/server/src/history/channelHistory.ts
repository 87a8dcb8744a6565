import { randomBytes } from "node:crypto";
import { HistoryRing, type Publication } from "./historyRing.js";
import type { ResolvedHistory } from "./historyOptions.js";
import type { HistoryStore } from "./historyStore.js";

/** A position in a channel's history. */
export interface HistoryPosition {
  readonly epoch: string;
  readonly offset: number;
}

/** What `handler.history()` reads. */
export interface HistoryQuery {
  /** Only publications after this position. Default: the newest `limit` of those kept. */
  since?: HistoryPosition;
  /** At most this many publications (oldest first after `since`). Default: all that are kept. */
  limit?: number;
}

/** A channel's history, as `handler.history()` and `$history` answer it. */
export interface HistoryResult<T = unknown> {
  /** The channel history's current epoch. */
  readonly epoch: string;
  /** Offset of the channel's newest publication in this epoch (0: none yet). */
  readonly offset: number;
  /** Oldest first. */
  readonly publications: readonly Publication<T>[];
  /**
   * False when `since` is not available any more (another epoch, older than the oldest kept, or past the
   * newest): `publications` is empty then, never a partial answer. True otherwise.
   */
  readonly recovered: boolean;
}

/** A new epoch: 72 random bits, base64url (12 characters). */
function newEpoch(): string {
  return randomBytes(9).toString("base64url");
}

/**
 * Per-channel history: a {@link HistoryRing} per exact channel that keeps history, filled by fan-out
 * for every publish on it (the data by reference, no encoding). A channel with no publication within
 * `ttl` loses its ring (swept at most once per `ttl`, from record or read); its next ring has a new epoch.
 */
export class ChannelHistory implements HistoryStore {
  readonly #rings = new Map<string, HistoryRing>();
  #lastSweep: number;

  constructor(
    readonly options: ResolvedHistory,
    /** The clock, injectable for tests. */
    private readonly now: () => number = Date.now,
  ) {
    this.#lastSweep = now();
  }

  /** True when `channel` keeps history (`history.channels`). */
  keeps(channel: string): boolean {
    const patterns = this.options.channels;
    return patterns === undefined || patterns.some((p) => p.test(channel));
  }

  /** Channels with a ring. */
  get size(): number {
    return this.#rings.size;
  }

  /** Called by fan-out for every publish on `channel`: its position, or undefined when the channel keeps none. */
  record(channel: string, data: unknown): HistoryPosition | undefined {
    const now = this.now();
    let ring = this.#rings.get(channel);
    if (ring === undefined) {
      if (!this.keeps(channel)) return undefined;
      ring = this.#create(channel, now);
    }
    ring.push(data, now);
    if (now - this.#lastSweep >= this.options.ttlMs) this.#sweep(now);
    return { epoch: ring.epoch, offset: ring.offset };
  }

  /** The history of `channel`. @throws RangeError when the channel keeps none, or for a bad limit. */
  read(channel: string, query: HistoryQuery = {}): HistoryResult {
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    if (!(limit === Number.POSITIVE_INFINITY || (Number.isSafeInteger(limit) && limit >= 0))) throw new RangeError(`history limit must be a non-negative integer, got ${String(query.limit)}.`);
    if (!this.keeps(channel)) throw new RangeError(`Channel '${channel}' keeps no history (history.channels).`);
    const now = this.now();
    if (now - this.#lastSweep >= this.options.ttlMs) this.#sweep(now);
    const ring = this.#rings.get(channel);
    // No ring is made for a read: a client allowed on a pattern could otherwise make one per name it invents.
    // An empty channel answers a fresh epoch no ring will have, so a later `since` from it is honestly refused.
    if (ring === undefined) return { epoch: newEpoch(), offset: 0, publications: [], recovered: query.since === undefined };
    ring.prune(now - this.options.ttlMs);
    const { epoch, offset } = ring;
    const since = query.since;
    if (since === undefined) return { epoch, offset, publications: ring.after(Math.max(ring.first - 1, offset - limit), limit), recovered: true };
    if (since.epoch !== epoch || since.offset > offset || since.offset < ring.first - 1) return { epoch, offset, publications: [], recovered: false };
    return { epoch, offset, publications: ring.after(since.offset, limit), recovered: true };
  }

  #create(channel: string, now: number): HistoryRing {
    const ring = new HistoryRing(newEpoch(), this.options.size, now);
    this.#rings.set(channel, ring);
    return ring;
  }

  /** Forgets the rings of channels quiet for `ttl` (all their entries have expired). */
  #sweep(now: number): void {
    this.#lastSweep = now;
    const oldest = now - this.options.ttlMs;
    for (const [channel, ring] of this.#rings) if (ring.touched < oldest) this.#rings.delete(channel);
  }
}
