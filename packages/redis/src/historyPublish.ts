import type { Delivery, HistoryPosition } from "@webshocket/server";
import { newEpoch, type RedisHistory } from "./redisHistory.js";
import { decodeEnvelope } from "./envelope.js";
import { parsePositioned, type PositionedMessage } from "./positionHeader.js";
import type { SequenceTracker } from "./sequenceTracker.js";

/**
 * The arguments of the publish script (after its SHA or source) for a channel delivery, or undefined when none of its channels keeps
 * history (it then takes the plain PUBLISH path). Header indexes count the delivery's distinct channels.
 */
export function historyPublishArgs(history: RedisHistory, channels: readonly string[], redisChannels: readonly string[], payload: Buffer, maxLen: number): Array<string | Buffer> | undefined {
  const distinct = [...new Set(channels)];
  const keys: string[] = [];
  const indexes: string[] = [];
  distinct.forEach((channel, i) => {
    if (!history.keeps(channel)) return;
    keys.push(...history.keys(channel));
    indexes.push(String(i));
  });
  if (indexes.length === 0) return undefined;
  const ttl = String(history.options.ttlMs);
  return [String(keys.length), ...keys, payload, ttl, String(maxLen), newEpoch(), String(redisChannels.length), ...redisChannels, ...indexes];
}

/** The delivery of a positioned message with `positions` aligned with its channels. */
export function withPositions(delivery: Delivery, message: PositionedMessage): Delivery {
  const distinct = [...new Set(delivery.channels)];
  const byName = new Map<string, HistoryPosition>();
  for (const [i, position] of message.positions) {
    const name = distinct[i];
    if (name !== undefined) byName.set(name, position);
  }
  return { ...delivery, positions: delivery.channels.map((c) => byName.get(c)) };
}

/**
 * A positioned message from Redis → its delivery with positions; "duplicate" for a second copy (the same
 * (channel, epoch, offset) as one seen: a node subscribed exactly and by pattern, or to two of its channels);
 * the error for anything malformed.
 */
export function readPositioned(message: Buffer, seen: SequenceTracker): Delivery | "duplicate" | Error {
  let delivery: Delivery;
  try {
    const positioned = parsePositioned(message);
    delivery = withPositions(decodeEnvelope(positioned.body).delivery, positioned);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
  const first = delivery.positions?.findIndex((p) => p !== undefined) ?? -1;
  const position = delivery.positions?.[first];
  if (position === undefined) return new TypeError("a positioned message without a position.");
  return seen.fresh(`${delivery.channels[first]}\u0000${position.epoch}`, position.offset) ? delivery : "duplicate";
}
