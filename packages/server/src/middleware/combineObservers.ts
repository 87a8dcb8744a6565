import type { ServerObserver } from "./middleware.js";

/** One observer calling each of `list` (undefined for none, so the server's paths skip observing). */
export function combineObservers(list: readonly ServerObserver[]): ServerObserver | undefined {
  if (list.length === 0) return undefined;
  if (list.length === 1) return list[0];
  const each = <K extends keyof ServerObserver>(key: K): ServerObserver[K] => {
    const fns = list.map((o) => o[key]?.bind(o)).filter((f) => f !== undefined) as Array<(...args: unknown[]) => void>;
    if (fns.length === 0) return undefined;
    return ((...args: unknown[]) => {
      for (const f of fns) f(...args);
    }) as ServerObserver[K];
  };
  return { messageIn: each("messageIn"), messageOut: each("messageOut"), brokerPublish: each("brokerPublish") };
}
