import { type Packet } from "@webshocket/protocol";
import { fnmatch } from "./fnmatch.js";
import type { Duration } from "./options.js";
import { sendControl, type CallHost } from "./pending.js";
import { unaryCall } from "./unaryCall.js";

/** The control call that asks the server for a channel or pattern (PROTOCOL.md § Client subscriptions). */
export const SUBSCRIBE_METHOD = "$subscribe";
/** The control call that leaves one. */
export const UNSUBSCRIBE_METHOD = "$unsubscribe";

/** Receives the data of each message published to a subscribed channel, and its packet (`packet.channel` is the name). */
export type ChannelListener<T = unknown> = (data: T, packet: Packet) => void;

/** Options of `client.subscribe()`. */
export interface SubscribeOptions {
  /** Aborting unsubscribes (or, while the server is still answering, rejects and leaves). Default: none. */
  signal?: AbortSignal;
  /** How long to wait for the server's answer. Default: the client's `rpcTimeout`. */
  timeout?: Duration | null;
}

/** One client subscription, from `client.subscribe()`. */
export interface Subscription<I = unknown> {
  /** The channel or pattern asked for. */
  readonly channel: string;
  /** The initial value the server answered (`null` when it has none). */
  readonly initial: I;
  /** Stops the callback and, when no other subscription of this client wants the name, sends `$unsubscribe`. Idempotent. */
  unsubscribe(): void;
}

/** The client's subscriptions by name (or pattern): routes channel packets, resubscribes after a reconnection. */
export class Subscriptions {
  readonly #byName = new Map<string, Set<ChannelListener<never>>>();

  constructor(private readonly _host: CallHost) {}

  /** Hands a channel packet to every matching subscription; false when none wanted it. */
  _route(packet: Packet): boolean {
    const name = packet.channel;
    let hit = false;
    if (typeof name === "string") {
      for (const [pattern, listeners] of this.#byName) {
        if (!fnmatch(pattern, name)) continue;
        hit = true;
        for (const listener of listeners) {
          try {
            listener(packet.data as never, packet);
          } catch (error) {
            queueMicrotask(() => {
              throw error;
            });
          }
        }
      }
    }
    return hit;
  }

  /** Asks the server again for every name (after a reconnection that did not keep the session); settles once all are answered. */
  _resubscribe(timeout: Duration | null): Promise<unknown> {
    return Promise.allSettled([...this.#byName.keys()].map((name) => unaryCall(this._host, SUBSCRIBE_METHOD, [name], {}, timeout)));
  }

  _subscribe<T, I>(channel: string, listener: ChannelListener<T>, options: SubscribeOptions, timeout: Duration | null): Promise<Subscription<I>> {
    return new Promise((resolve, reject) => {
      const { signal } = options;
      if (signal?.aborted) return reject(signal.reason);
      // Listening before asking: a publish may arrive ahead of the answer.
      let listeners = this.#byName.get(channel);
      if (!listeners) this.#byName.set(channel, (listeners = new Set()));
      const mine = listener as ChannelListener<never>;
      listeners.add(mine);
      let settled = false;
      const leave = (): void => {
        signal?.removeEventListener("abort", onAbort);
        if (!listeners.delete(mine) || listeners.size > 0) return;
        this.#byName.delete(channel);
        sendControl(this._host, UNSUBSCRIBE_METHOD, [channel]);
      };
      const fail = (error: unknown): void => {
        leave();
        if (!settled) reject(error);
        settled = true;
      };
      const onAbort = (): void => fail(signal?.reason);
      signal?.addEventListener("abort", onAbort);
      unaryCall<I>(this._host, SUBSCRIBE_METHOD, [channel], { raiseOnError: true, timeout: options.timeout }, timeout).then(({ data }) => {
        // Answered after an abort (the server was still authorizing): leave again.
        if (settled) return void (this.#byName.has(channel) || sendControl(this._host, UNSUBSCRIBE_METHOD, [channel]));
        settled = true;
        resolve({ channel, initial: data, unsubscribe: leave });
      }, fail);
    });
  }
}
