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
/** The id's 36 characters as ASCII: the prefix, then the counter's 12 hex digits, incremented in place. */
const id = new Uint8Array(36);
// `var`: module-level `let` costs a temporal-dead-zone check on every access (see msgpackDecode.ts).
var fresh = true;

/** A fresh id, unique among this process's (see the top of this file). */
export function serverCallId(): string {
  const d = id;
  let i = 35;
  while (i >= 24) {
    const c = d[i] as number;
    if (c !== 0x66) {
      d[i] = c === 0x39 ? 0x61 : c + 1; // 9 → a
      break;
    }
    d[i--] = 0x30; // f → 0, carry
  }
  if (i < 24 || fresh) newPrefix(); // the first id, or 2^48 of them
  // One flat string from one call (a concatenation would make a cons string, which costs more where it is written out).
  // prettier-ignore
  return chars(d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14], d[15], d[16], d[17],
    d[18], d[19], d[20], d[21], d[22], d[23], d[24], d[25], d[26], d[27], d[28], d[29], d[30], d[31], d[32], d[33], d[34], d[35]);
}

/** A random UUID's first 24 characters as the prefix, the counter at 1. */
function newPrefix(): void {
  const uuid = randomId();
  for (let i = 0; i < 24; i++) id[i] = uuid.charCodeAt(i);
  id.fill(0x30, 24);
  id[35] = 0x31;
  fresh = false;
}
