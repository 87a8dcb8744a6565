import micromatch from "micromatch";

/** True when a channel name is a glob pattern (`*`, `?`, `[...]`) rather than an exact name. */
export function isPattern(name: string): boolean {
  return /[*?[]/.test(name) && micromatch.scan(name).isGlob;
}

const cache = new Map<string, (channel: string) => boolean>();
const CACHE_LIMIT = 10_000;

/** A compiled, cached matcher for one glob pattern (micromatch, dotfiles matched). */
export function matcherFor(pattern: string): (channel: string) => boolean {
  let m = cache.get(pattern);
  if (m === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    m = micromatch.matcher(pattern, { dot: true });
    cache.set(pattern, m);
  }
  return m;
}
