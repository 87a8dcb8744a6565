import { randomBytes } from "node:crypto";
import { RESP_TYPES } from "@redis/client";
import { resolveHistory, type HistoryPosition, type HistoryQuery, type HistoryResult, type HistoryStore, type Publication, type ResolvedHistory, type HistoryOptions } from "@webshocket/server";
import { decodeEnvelope } from "./envelope.js";
import { READ_SCRIPT, READ_SHA, runScript, type ScriptClient } from "./historyScripts.js";
import { RedisUnavailableError } from "./redisUnavailableError.js";


/** A fresh epoch: 72 random bits, base64url (never containing the `:` and `;` of the position header). */
export function newEpoch(): string {
  return randomBytes(9).toString("base64url");
}

const BUFFERS = { [RESP_TYPES.BLOB_STRING]: Buffer, [RESP_TYPES.SIMPLE_STRING]: Buffer };

/**
 * Channel history in Redis, shared by every node (`RedisBroker`'s `history` option; the server uses it as its
 * `HistoryStore`): per channel a Stream `<prefix>h:<channel>` (entries `<offset>-0`, bounded by `size` through
 * MAXLEN and by age at read), an offset counter and an epoch key. Positions are assigned by the broker's publish
 * script; this reads them back, with the memory store's contract: a position that is gone gives
 * `recovered: false` and nothing, never part of what followed it.
 */
export class RedisHistory implements HistoryStore {
  readonly options: ResolvedHistory;

  constructor(
    options: HistoryOptions | true,
    readonly prefix: string,
    private readonly client: () => ScriptClient | undefined,
    private readonly timeoutMs: number,
  ) {
    this.options = resolveHistory(options) as ResolvedHistory;
  }

  keeps(channel: string): boolean {
    const patterns = this.options.channels;
    return patterns === undefined || patterns.some((p) => p.test(channel));
  }

  /** The three keys of `channel`'s history: stream, offset counter, epoch. */
  keys(channel: string): [string, string, string] {
    const base = `${this.prefix}h:${channel}`;
    return [base, `${base}:n`, `${base}:e`];
  }

  async read(channel: string, query: HistoryQuery = {}): Promise<HistoryResult> {
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    if (!(limit === Number.POSITIVE_INFINITY || (Number.isSafeInteger(limit) && limit >= 0))) throw new RangeError(`history limit must be a non-negative integer, got ${String(query.limit)}.`);
    if (!this.keeps(channel)) throw new RangeError(`Channel '${channel}' keeps no history (history.channels).`);
    const client = this.client();
    if (client === undefined) throw new RedisUnavailableError("RedisHistory: the broker is not connected.");
    const since: HistoryPosition | undefined = query.since;
    const count = limit === Number.POSITIVE_INFINITY ? -1 : Math.max(1, limit);
    const after = since === undefined ? 0 : Math.min(Math.max(0, Math.floor(since.offset)), 1e13);
    const args = ["3", ...this.keys(channel), String(this.options.ttlMs), since === undefined ? "newest" : "since", String(after), String(count)];
    const timeout = this.timeoutMs;
    const reply = await runScript(client, READ_SCRIPT, READ_SHA, args, { typeMapping: BUFFERS, ...(timeout > 0 ? { timeout } : {}) });
    if (reply === null || reply === undefined || reply === false) return { epoch: newEpoch(), offset: 0, publications: [], recovered: since === undefined };
    if (!Array.isArray(reply) || reply.length !== 4) throw new TypeError("RedisHistory: unexpected reply.");
    const [epochBytes, newest, oldest, entries] = reply as [Buffer, number, number, unknown[]];
    const epoch = String(epochBytes);
    let publications = entries.map(toPublication);
    if (since === undefined) publications.reverse();
    if (limit === 0) publications = [];
    if (since === undefined) return { epoch, offset: newest, publications, recovered: true };
    if (since.epoch !== epoch || since.offset > newest || since.offset < oldest - 1) return { epoch, offset: newest, publications: [], recovered: false };
    return { epoch, offset: newest, publications, recovered: true };
  }
}

/** A stream entry `[id, ["t", time, "d", envelope]]` → its publication. */
function toPublication(entry: unknown): Publication {
  const [id, fields] = entry as [Buffer, Buffer[]];
  const offset = Number.parseInt(String(id), 10);
  const body = fields[3];
  if (!Number.isSafeInteger(offset) || body === undefined) throw new TypeError("RedisHistory: malformed stream entry.");
  return { offset, data: decodeEnvelope(body).delivery.data };
}
