/**
 * FUZZ_SCALE multiplies the number of cases of every randomised test (default
 * 1). The default sizes keep each such test well under a second on a quiet
 * machine, so a busy CI runner stays far inside the timeout; for a deeper
 * local run: FUZZ_SCALE=20 npx vitest run --testTimeout=0. The seeds stay the
 * same, so a larger run starts with the default run's cases.
 */
const FUZZ_SCALE = Number(process.env.FUZZ_SCALE ?? 1);
if (!(FUZZ_SCALE > 0)) throw new Error(`FUZZ_SCALE must be a positive number, got ${JSON.stringify(process.env.FUZZ_SCALE)}`);

/** How many cases a randomised test runs: `n`, times FUZZ_SCALE. */
export function fuzzCases(n: number): number {
  return Math.max(1, Math.round(n * FUZZ_SCALE));
}

/** A count as test names write it: 1,500. */
export const count = (n: number): string => n.toLocaleString("en-US");

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

/** 70,000: a string, bytes, array or map this long needs msgpack's 32-bit length formats (str32, bin32, array32, map32). */
const HUGE = 70_000;
/**
 * Past this many parts, a value's containers fill up with scalars only. Most
 * values have a few parts, but a few nest long containers in long containers
 * (thousands of parts): those took most of the time and added little.
 */
const MAX_PARTS = 500;

/** What a value may still spend: huge parts, and parts in all. */
interface Budget {
  huge: number;
  parts: number;
}

export interface RandomValueOptions {
  /** Dates too (msgpack's timestamp extension). */
  dates?: boolean;
  /**
   * Now and then (1 in 1,000 strings, bytes, arrays and maps: about 1 value
   * in 60) one of 70,000 characters, bytes, items or keys, for msgpack's
   * 32-bit length formats. At most one per value: each costs milliseconds to
   * make and to check, and more of them add time, not coverage.
   */
  huge?: boolean;
}

/**
 * A random value of the kinds packets carry: null, booleans, numbers (at every
 * msgpack size boundary), bigints, strings (short, long, multi-byte), bytes,
 * arrays and plain objects nested up to `depth` levels; `options` adds Dates
 * and huge parts.
 */
export function randomValue(rand: () => number, depth = 4, options: RandomValueOptions = {}): unknown {
  return value(rand, depth, options.dates === true, { huge: options.huge === true ? 1 : 0, parts: MAX_PARTS });
}

/** 70,000 while the budget has a huge part left (then not again), else a usual random length. */
function length(rand: () => number, budget: Budget): number {
  if (budget.huge > 0 && rand() < 0.001) {
    budget.huge--;
    return HUGE;
  }
  return randomLength(rand);
}

function value(rand: () => number, depth: number, dates: boolean, budget: Budget): unknown {
  budget.parts--;
  const kind = Math.floor(rand() * (depth > 0 && budget.parts > 0 ? 10 : 8));
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
      return randomString(rand, length(rand, budget));
    case 6:
      return Uint8Array.from({ length: length(rand, budget) }, () => Math.floor(rand() * 256));
    case 7:
      return dates && rand() < 0.5 ? new Date(Math.floor(rand() * 4e12)) : randomString(rand, 3);
    case 8: {
      const n = length(rand, budget);
      if (n === HUGE) return Array.from({ length: n }, (_, i) => i - n / 2); // array32
      return Array.from({ length: n }, () => value(rand, depth - 1, dates, budget));
    }
    default: {
      const out: Record<string, unknown> = {};
      const n = length(rand, budget); // map32 sometimes
      if (n === HUGE) {
        for (let i = 0; i < n; i++) out[`k${i}`] = i;
        return out;
      }
      for (let i = 0; i < n; i++) out[randomString(rand, 1 + Math.floor(rand() * 6))] = value(rand, depth - 1, dates, budget);
      return out;
    }
  }
}
