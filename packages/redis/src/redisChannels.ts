/**
 * The Redis channel names of one cluster: `<prefix>c:<channel>` per webshocket
 * channel and `<prefix>b` for broadcasts.
 */
export class RedisChannels {
  /** The one channel every node subscribes to for broadcasts. */
  readonly broadcast: string;
  /** PSUBSCRIBE pattern matching every channel's traffic (broadcasts excluded). */
  readonly allChannels: string;

  constructor(readonly prefix: string) {
    this.broadcast = `${prefix}b`;
    this.allChannels = `${escapeGlob(prefix)}c:*`;
  }

  /** The Redis channel carrying webshocket channel `name` (any characters; Redis channels are binary-safe). */
  channel(name: string): string {
    return `${this.prefix}c:${name}`;
  }
}

/** Escapes Redis glob syntax (`* ? [ ] \`) so a prefix matches itself literally. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}
