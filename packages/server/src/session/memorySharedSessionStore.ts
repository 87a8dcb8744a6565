import type { SharedSessionStore, SharedTake } from "./sharedSessionStore.js";
import type { ResumeFailure } from "./sessionStore.js";

/** Reasons of retired tokens kept, at most (oldest forgotten first). */
const MAX_RETIRED = 10_000;

/** What the nodes sharing sessions in one process share: snapshots with their expiry, retired tokens, listeners. */
export class SharedSessionSpace {
  readonly snapshots = new Map<string, { text: string; expires: number }>();
  readonly retired = new Map<string, ResumeFailure>();
  readonly listeners = new Set<(token: string, taker: MemorySharedSessionStore) => void>();
}

/**
 * A {@link SharedSessionStore} for servers in one process (tests, a single-process cluster): each server gets
 * its own store on one {@link SharedSessionSpace}. Across processes use a store on a shared service, such as
 * `RedisSessionStore` from `@webshocket/redis`.
 *
 * @example
 * const a = new MemorySharedSessionStore();
 * const b = new MemorySharedSessionStore(a.space);
 * // new WebSocketServer({ handler, resume: { store: a } }), and `b` for the second server
 */
export class MemorySharedSessionStore implements SharedSessionStore {
  #listener: ((token: string, taker: MemorySharedSessionStore) => void) | undefined;

  /** @param space Shared with the other servers' stores. Default: a new one. */
  constructor(readonly space = new SharedSessionSpace()) {}

  start(taken: (token: string) => void): Promise<void> {
    this.#listener = (token, taker) => {
      if (taker !== this) taken(token);
    };
    this.space.listeners.add(this.#listener);
    return Promise.resolve();
  }

  put(token: string, snapshot: string, ttlMs: number): Promise<void> {
    this.space.snapshots.set(token, { text: snapshot, expires: Date.now() + ttlMs });
    return Promise.resolve();
  }

  touch(tokens: readonly string[], ttlMs: number): Promise<void> {
    for (const token of tokens) {
      const entry = this.space.snapshots.get(token);
      if (entry !== undefined) entry.expires = Date.now() + ttlMs;
    }
    return Promise.resolve();
  }

  take(token: string): Promise<SharedTake> {
    const { snapshots, retired, listeners } = this.space;
    const entry = snapshots.get(token);
    snapshots.delete(token);
    if (entry === undefined || entry.expires <= Date.now()) return Promise.resolve({ reason: retired.get(token) ?? "unknown" });
    this.#remember(token, "used");
    for (const listener of [...listeners]) listener(token, this);
    return Promise.resolve({ snapshot: entry.text });
  }

  restore(token: string, snapshot: string, ttlMs: number): Promise<void> {
    this.space.retired.delete(token);
    return this.put(token, snapshot, ttlMs);
  }

  retire(token: string, reason: ResumeFailure): Promise<void> {
    this.space.snapshots.delete(token);
    this.#remember(token, reason);
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.#listener !== undefined) this.space.listeners.delete(this.#listener);
    return Promise.resolve();
  }

  #remember(token: string, reason: ResumeFailure): void {
    const retired = this.space.retired;
    retired.delete(token);
    retired.set(token, reason);
    if (retired.size > MAX_RETIRED) retired.delete(retired.keys().next().value as string);
  }
}
