/** A small seeded PRNG (mulberry32), so randomised test failures reproduce. */
export function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NUMBERS = [0, -0, 1, -1, 31, 32, -32, -33, 127, 128, -128, -129, 255, 256, 32767, 32768, -32768, -32769, 65535, 65536,
  2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32 - 1, 2 ** 32, 2 ** 53, -(2 ** 53), 0.5, -1.25, 1e300, NaN, Infinity, -Infinity];
const BIGINTS = [0n, 1n, -1n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 63n, 2n ** 64n - 1n];
const CHARS = ["a", "Z", "0", " ", "é", "ß", "€", "中", "😀", "\u0000", "\u007f", "\u0080", "\u07ff", "\u0800", "\uffff", '"', "\\"];

/** A random string of `length` characters from a mix of 1-, 2-, 3- and 4-byte UTF-8 characters (no lone surrogates). */
export function randomString(rand: () => number, length: number): string {
  let s = "";
  for (let i = 0; i < length; i++) s += CHARS[Math.floor(rand() * CHARS.length)];
  return s;
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

function randomLength(rand: () => number): number {
  const r = rand();
  return r < 0.7 ? Math.floor(rand() * 8) : r < 0.95 ? Math.floor(rand() * 40) : Math.floor(rand() * 300);
}

/**
 * A random value of the kinds packets carry: null, booleans, numbers (at every
 * msgpack size boundary), bigints, strings (short, long, multi-byte), bytes,
 * arrays and plain objects nested up to `depth` levels; `extra` adds Dates.
 */
export function randomValue(rand: () => number, depth = 4, extra = false): unknown {
  const kind = Math.floor(rand() * (depth > 0 ? 10 : 8));
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rand() < 0.5;
    case 2:
      return rand() < 0.5 ? pick(rand, NUMBERS) : Math.floor((rand() - 0.5) * 2 ** (1 + Math.floor(rand() * 40)));
    case 3:
      return rand() < 0.7 ? rand() * 1000 - 500 : pick(rand, BIGINTS);
    case 4:
    case 5:
      return randomString(rand, rand() < 0.005 ? 70000 : randomLength(rand));
    case 6:
      return Uint8Array.from({ length: rand() < 0.005 ? 70000 : randomLength(rand) }, () => Math.floor(rand() * 256));
    case 7:
      return extra && rand() < 0.5 ? new Date(Math.floor(rand() * 4e12)) : randomString(rand, 3);
    case 8:
      if (rand() < 0.005) return Array.from({ length: 70000 }, (_, i) => i - 35000); // array32
      return Array.from({ length: randomLength(rand) }, () => randomValue(rand, depth - 1, extra));
    default: {
      const out: Record<string, unknown> = {};
      const n = rand() < 0.005 ? 70000 : randomLength(rand); // map32 sometimes
      if (n === 70000) {
        for (let i = 0; i < n; i++) out[`k${i}`] = i;
        return out;
      }
      for (let i = 0; i < n; i++) out[randomString(rand, 1 + Math.floor(rand() * 6))] = randomValue(rand, depth - 1, extra);
      return out;
    }
  }
}
