/**
 * Channel patterns with the semantics of Python's `fnmatch.fnmatchcase`: `*` any run of characters (dots
 * and slashes included), `?` one character, `[abc]` / `[a-z]` one of a set, `[!abc]` one not in it. Every
 * other character is literal: braces, parentheses, `**` (the same as `*`), backslashes. Details as Python
 * 3.11's `fnmatch.translate`: `]` first in a set is a member (`[]]`, `[!]]`), a `[` never closed is a
 * literal, `-` first or last in a set is literal, a range whose ends are reversed (`[z-a]`) drops both ends.
 *
 * Matching walks pattern and name once with a back-track to the last `*` (no regular expression): at most
 * (name length × pattern length) steps, whatever the pattern. Characters are Unicode code points, as
 * Python's; `compile` never throws (every string is a valid pattern).
 */

/** `*` in `ops`. */
const STAR = -1;
/** `?` in `ops`. */
const ANY = -2;
/** Set number k is `-3 - k` in `ops`; a literal character is its code point (>= 0). */
const SET_BASE = -3;
/** In a set's tokens (parseSet): a hyphen that joins two chunks, i.e. a range. */
const RANGE = -1;

const C_STAR = 0x2a;
const C_QUESTION = 0x3f;
const C_OPEN = 0x5b;
const C_CLOSE = 0x5d;
const C_BANG = 0x21;
const C_DASH = 0x2d;

/** One `[...]`: inclusive [lo, hi] code point pairs, and whether it is negated. */
interface CharSet {
  readonly ranges: Int32Array;
  readonly negated: boolean;
}

/** A set that matches nothing (`[z-a]`) or anything (`[!z-a]`), as Python's translate gives them. */
const NOTHING: CharSet = { ranges: new Int32Array(0), negated: false };
const EVERYTHING: CharSet = { ranges: new Int32Array(0), negated: true };

/** A compiled channel pattern (see the module comment for the syntax). */
export class GlobPattern {
  /** False when the text has no wildcard at all: it names one channel exactly. */
  readonly isPattern: boolean;
  /** The literal characters before the first wildcard. */
  readonly prefix: string;
  /** The literal characters after the last wildcard. */
  readonly suffix: string;
  /**
   * True for a literal prefix then one trailing `*` (`user.12.*`, `*`): any name that starts with the prefix
   * matches, so an index that has checked the prefix need not run the matcher.
   */
  readonly prefixOnly: boolean;
  /** The longest run of literal characters: every matching name contains it. */
  readonly longestRun: string;
  /** Approximate bytes held by this compiled pattern (its text included). */
  readonly bytes: number;

  private constructor(
    readonly text: string,
    private readonly ops: Int32Array,
    private readonly sets: readonly CharSet[],
  ) {
    let first = ops.findIndex((op) => op < 0);
    this.isPattern = first >= 0;
    if (first < 0) first = ops.length;
    let last = ops.length - 1;
    while (last >= 0 && ops[last]! >= 0) last--;
    this.prefixOnly = first === ops.length - 1 && ops[first] === STAR;
    this.prefix = literal(ops, 0, first);
    this.suffix = this.isPattern ? literal(ops, last + 1, ops.length) : this.prefix;
    let best = "";
    for (let i = 0; i < ops.length; ) {
      let j = i;
      while (j < ops.length && ops[j]! >= 0) j++;
      if (j - i > [...best].length) best = literal(ops, i, j);
      i = j + 1;
    }
    this.longestRun = best;
    let setBytes = 0;
    for (const s of sets) setBytes += 48 + s.ranges.byteLength;
    this.bytes = 96 + 2 * text.length + ops.byteLength + setBytes + 2 * (this.prefix.length + this.suffix.length + best.length);
  }

  /** Compiles `text`; any string is a pattern (an unclosed `[` is a literal). */
  static compile(text: string): GlobPattern {
    const p = Array.from(text, (c) => c.codePointAt(0)!);
    const ops: number[] = [];
    const sets: CharSet[] = [];
    const n = p.length;
    let i = 0;
    while (i < n) {
      const c = p[i++]!;
      if (c === C_STAR) {
        if (ops[ops.length - 1] !== STAR) ops.push(STAR);
      } else if (c === C_QUESTION) {
        ops.push(ANY);
      } else if (c === C_OPEN) {
        let j = i;
        if (j < n && p[j] === C_BANG) j++;
        if (j < n && p[j] === C_CLOSE) j++;
        while (j < n && p[j] !== C_CLOSE) j++;
        if (j >= n) {
          ops.push(C_OPEN);
        } else {
          ops.push(SET_BASE - sets.length);
          sets.push(parseSet(p.slice(i, j)));
          i = j + 1;
        }
      } else {
        ops.push(c);
      }
    }
    return new GlobPattern(text, Int32Array.from(ops), sets);
  }

  /** True when the whole of `name` (code points, as from {@link codePoints}) matches. */
  matches(name: Int32Array): boolean {
    const ops = this.ops;
    const m = ops.length;
    const n = name.length;
    let p = 0;
    let s = 0;
    let starP = -1;
    let starS = 0;
    while (s < n) {
      if (p < m) {
        const op = ops[p]!;
        if (op === STAR) {
          starP = p++;
          starS = s;
          continue;
        }
        const c = name[s]!;
        if (op === c || op === ANY || (op <= SET_BASE && inSet(this.sets[SET_BASE - op]!, c))) {
          p++;
          s++;
          continue;
        }
      }
      if (starP < 0) return false;
      // Let the last `*` take one more character and retry what follows it.
      p = starP + 1;
      s = ++starS;
    }
    while (p < m && ops[p] === STAR) p++;
    return p === m;
  }

  /** `matches` for a string. */
  test(name: string): boolean {
    return this.matches(codePoints(name));
  }
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** The code points of `s` (a lone surrogate is one code point, as in Python). */
export function codePoints(s: string): Int32Array {
  const out = new Int32Array(s.length);
  // The regular expression also flattens a concatenated (rope) string, which charCodeAt would walk per call
  // (1,024 characters of `"a".repeat(1024)` took 135 µs against ~1 µs flat).
  if (!SURROGATE.test(s)) {
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  let k = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.codePointAt(i)!;
    out[k++] = c;
    if (c > 0xffff) i++;
  }
  return k === out.length ? out : out.subarray(0, k);
}

function literal(ops: Int32Array, from: number, to: number): string {
  let s = "";
  for (let i = from; i < to; i++) s += String.fromCodePoint(ops[i]!);
  return s;
}

function inSet(set: CharSet, c: number): boolean {
  const r = set.ranges;
  let hit = false;
  for (let i = 0; i < r.length; i += 2) {
    if (c >= r[i]! && c <= r[i + 1]!) {
      hit = true;
      break;
    }
  }
  return hit !== set.negated;
}

/**
 * The set between `[` and `]` (the code points of Python's `stuff`), read as Python 3.11's `fnmatch.translate`
 * and then `re` read it: split into chunks at range hyphens (`-` right after `[` or `[!` is literal, the
 * character after a range cannot start another), a range whose ends are reversed removed with both its ends,
 * the chunks joined by range hyphens, and the result read as a regular-expression class (a leading `!` negates,
 * even one the removal brought to the front; a hyphen first or last is literal).
 */
function parseSet(s: number[]): CharSet {
  const L = s.length;
  let chunks: number[][];
  if (!s.includes(C_DASH)) {
    chunks = [s];
  } else {
    chunks = [];
    let a = 0;
    let k = s[0] === C_BANG ? 2 : 1;
    for (;;) {
      k = k < L ? s.indexOf(C_DASH, k) : -1;
      if (k < 0) break;
      chunks.push(s.slice(a, k));
      a = k + 1;
      k += 3;
    }
    if (a < L) chunks.push(s.slice(a));
    else chunks[chunks.length - 1]!.push(C_DASH);
    for (let k2 = chunks.length - 1; k2 > 0; k2--) {
      const prev = chunks[k2 - 1]!;
      const next = chunks[k2]!;
      // Python compares prev[-1] with next[0]; an empty chunk there raises in Python: match nothing instead.
      if (prev.length === 0 || next.length === 0) return NOTHING;
      if (prev[prev.length - 1]! > next[0]!) {
        chunks[k2 - 1] = [...prev.slice(0, -1), ...next.slice(1)];
        chunks.splice(k2, 1);
      }
    }
  }
  // The class text as tokens: a member character, or RANGE for a hyphen that joins two chunks.
  const tokens: number[] = [];
  chunks.forEach((chunk, idx) => {
    if (idx > 0) tokens.push(RANGE);
    tokens.push(...chunk);
  });
  if (tokens.length === 0) return NOTHING;
  if (tokens.length === 1 && tokens[0] === C_BANG) return EVERYTHING;
  const negated = tokens[0] === C_BANG;
  const ranges: number[] = [];
  for (let i = negated ? 1 : 0; i < tokens.length; i++) {
    const lo = tokens[i] === RANGE ? C_DASH : tokens[i]!;
    if (tokens[i + 1] === RANGE && i + 2 < tokens.length) {
      const hi = tokens[i + 2] === RANGE ? C_DASH : tokens[i + 2]!;
      if (hi < lo) return NOTHING; // `re` refuses the pattern ("bad character range"): match nothing
      ranges.push(lo, hi);
      i += 2;
    } else ranges.push(lo, lo);
  }
  return { ranges: Int32Array.from(ranges), negated };
}
