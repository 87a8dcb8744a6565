import { randomId } from "./ids.js";

/*
 * The call id a server gives a request that came without one (PROTOCOL.md § 4, rule 3): it only has to
 * be unique among the calls this server answers, since the client cannot know it in advance. A random
 * prefix drawn once (a UUID v4's first 24 characters: 60 random bits) and a 48-bit counter in hex, so
 * the id keeps a UUID's shape: ~3x cheaper than a random UUID per call (randomId), which cost ~150 ns
 * of a request's decoding in process. Not for ids anyone could guess to their advantage: a client's
 * own call ids come from randomId.
 */

const chars = String.fromCharCode as (...codes: Array<number | undefined>) => string;
/** The counter's 12 hex digits, as ASCII, incremented in place. */
const digits = new Uint8Array(12).fill(0x30);
// `var`: module-level `let` costs a temporal-dead-zone check on every access (see msgpackDecode.ts).
var prefix = "";

/** A fresh id, unique among this process's (see the top of this file). */
export function serverCallId(): string {
  const d = digits;
  let i = 11;
  while (i >= 0) {
    const c = d[i] as number;
    if (c !== 0x66) {
      d[i] = c === 0x39 ? 0x61 : c + 1; // 9 → a
      break;
    }
    d[i--] = 0x30; // f → 0, carry
  }
  // The first id, or 2^48 of them: a new prefix (a flat copy, not a slice of the UUID).
  if (i < 0 || prefix === "") prefix = chars(...Array.from(randomId().slice(0, 24), (ch) => ch.charCodeAt(0)));
  return prefix + chars(d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11]);
}
