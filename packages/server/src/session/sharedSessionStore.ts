import { ClientType } from "@webshocket/protocol";
import type { Logger } from "../logger.js";
import type { ResumeFailure } from "./sessionStore.js";

/**
 * What another node needs to take a session over (PROTOCOL.md § 11, "moved"): the connection id, its state
 * (as JSON: values JSON cannot carry are lost or changed, as `JSON.stringify` does), the exact channels and
 * patterns it is subscribed to, and its client type (a session moves only to the same encoding).
 */
export interface SessionSnapshot {
  readonly uid: string;
  readonly state: Record<string, unknown>;
  readonly channels: readonly string[];
  readonly clientType: ClientType;
}

/** What {@link SharedSessionStore.take} found: the snapshot (JSON text), or why there is none. */
export type SharedTake = { readonly snapshot: string } | { readonly reason: ResumeFailure };

/**
 * Where the sessions of every node of a cluster can be found by their resume token (e.g. `RedisSessionStore`
 * from `@webshocket/redis`), so a client that comes back on another node resumes there. Each node still keeps its
 * own sessions in memory and resumes those first; the shared store holds a snapshot per token (JSON text of a
 * {@link SessionSnapshot}) that expires after the window, and the reasons of retired tokens.
 */
export interface SharedSessionStore {
  /**
   * Called once by the server's `start()`: connect, and call `taken(token)` whenever another node takes a
   * token (this node then lets go of its session under that token, if it has one).
   */
  start(taken: (token: string) => void, logger: Logger): Promise<void>;
  /** Files (or replaces) the snapshot under `token` for `ttlMs`. */
  put(token: string, snapshot: string, ttlMs: number): Promise<void>;
  /** Keeps the snapshots under `tokens` for another `ttlMs` (their sessions are live). */
  touch(tokens: readonly string[], ttlMs: number): Promise<void>;
  /**
   * Atomically removes and returns the snapshot under `token`, retiring the token as `used` and telling the
   * other nodes (their `taken`); or returns the retired token's reason, or `unknown`.
   */
  take(token: string): Promise<SharedTake>;
  /** Puts a taken snapshot back (the client went away before its session opened): the token is good again. */
  restore(token: string, snapshot: string, ttlMs: number): Promise<void>;
  /** Deletes the snapshot under `token` and remembers why, for a later presenter of it on any node. */
  retire(token: string, reason: ResumeFailure): Promise<void>;
  /** Called by the server's `close()`. */
  close(): Promise<void>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parses and checks a snapshot from the shared store; undefined for anything that is not one. */
export function parseSnapshot(text: string): SessionSnapshot | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const { uid, state, channels, clientType } = value;
  if (typeof uid !== "string" || uid === "" || !isRecord(state) || (clientType !== ClientType.FRAMEWORK && clientType !== ClientType.GENERIC)) return undefined;
  if (!Array.isArray(channels) || !channels.every((c): c is string => typeof c === "string")) return undefined;
  return { uid, state, channels, clientType };
}
