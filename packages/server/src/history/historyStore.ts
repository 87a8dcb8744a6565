import type { HistoryPosition, HistoryQuery, HistoryResult } from "./channelHistory.js";

/**
 * Where a server's channel history lives: in this process (`ChannelHistory`, the `history` option) or
 * shared by every node (a broker's `history`, e.g. Redis). `$history`, `handler.history()` and the
 * positions on live channel messages all read the same store.
 */
export interface HistoryStore {
  /** True when `channel` keeps history. */
  keeps(channel: string): boolean;
  /**
   * Records a local publish on `channel` and returns its position (the in-memory store), or undefined when
   * the channel keeps none. A store whose positions are assigned elsewhere (Redis: by the broker at
   * publish, carried in `Delivery.positions`) leaves this out.
   */
  record?(channel: string, data: unknown): HistoryPosition | undefined;
  /**
   * The history of `channel`: publications after `query.since`, at most `query.limit`, or
   * `recovered: false` with none when that position is gone.
   * @throws RangeError for a bad limit or a channel that keeps none (a rejected promise for an async store).
   */
  read(channel: string, query?: HistoryQuery): HistoryResult | Promise<HistoryResult>;
}
