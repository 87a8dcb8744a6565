/** Resolves or rejects as `promise` does, or rejects with `onTimeout()` after `ms` (0: no limit). Never leaves a rejection unhandled. */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  promise.catch(() => {}); // a late rejection (e.g. after destroy()) is not an unhandled one
  if (ms <= 0) return promise;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timedOut]).finally(() => clearTimeout(timer));
}
