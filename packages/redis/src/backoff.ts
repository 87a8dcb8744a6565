/**
 * A node-redis `reconnectStrategy` with exponential backoff and jitter: attempt `n`
 * waits between half and all of `min(maxMs, minMs * 2^n)` milliseconds. It never
 * gives up: a server node keeps serving its local clients and rejoins when Redis is back.
 */
export function backoff(minMs: number, maxMs: number): (retries: number) => number {
  return (retries) => {
    const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(retries, 30));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  };
}
