import type { SessionState } from "@webshocket/guards";

/**
 * A connection's session state object, holding the state `authenticate` gave it.
 * It has no prototype, so any key ("__proto__" included) is plain data.
 */
export function createSessionState<TState extends object>(initial: SessionState | undefined): Partial<TState> {
  const state = Object.create(null) as Partial<TState>;
  if (initial === undefined) return state;
  for (const [k, v] of Object.entries(initial)) {
    Object.defineProperty(state, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return state;
}
