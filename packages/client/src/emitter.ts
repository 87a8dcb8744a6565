/** A listener of one event. */
export type Listener<T> = (payload: T) => void;

/**
 * A small typed event emitter (works the same in browsers and Node). A listener that throws
 * does not disturb the client: its error is re-thrown in a microtask, as a DOM event
 * listener's error would be reported.
 */
export class Emitter<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<Listener<never>>>();

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => this.off(event, listener);
  }

  /** Removes a listener. */
  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void {
    this.#listeners.get(event)?.delete(listener as Listener<never>);
  }

  /** Resolves with the payload of the next such event (rejects with `signal.reason` when aborted). */
  once<K extends keyof Events>(event: K, signal?: AbortSignal): Promise<Events[K]> {
    return new Promise((resolve, reject) => {
      signal?.throwIfAborted();
      const onAbort = (): void => {
        off();
        reject(signal?.reason);
      };
      const off = this.on(event, (payload) => {
        off();
        signal?.removeEventListener("abort", onAbort);
        resolve(payload);
      });
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Calls every listener of `event`. */
  _emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<Events[K]>)(payload);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
