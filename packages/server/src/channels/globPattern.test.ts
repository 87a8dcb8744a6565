import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { GlobPattern } from "./globPattern.js";

/** Python's `fnmatch.fnmatchcase` for each [pattern, name] pair, in one python3 process. */
function pythonFnmatch(pairs: ReadonlyArray<readonly [string, string]>): boolean[] {
  const script = "import sys, json, fnmatch\nprint(json.dumps([fnmatch.fnmatchcase(n, p) for p, n in json.load(sys.stdin)]))";
  const r = spawnSync("python3", ["-c", script], { input: JSON.stringify(pairs), encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr || String(r.error)}`);
  return JSON.parse(r.stdout) as boolean[];
}

/** A small seeded generator (mulberry32), so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PATTERN_ALPHABET = ["a", "b", "c", "z", "-", "!", "]", "[", "*", "?", "^", "\\", ".", "/", "{", ",", "}", "(", ")", "😀", "&"];
const NAME_ALPHABET = ["a", "b", "c", "z", "-", "!", "]", "[", "^", "\\", ".", "/", "\n", "😀", "{", "}", "(", "&"];

const SET_ALPHABET = ["a", "b", "c", "z", "-", "-", "!", "]", "^", "\\"];

function randomString(next: () => number, alphabet: readonly string[], maxLen: number, sets = false): string {
  let s = "";
  const len = Math.floor(next() * (maxLen + 1));
  for (let i = 0; i < len; i++) {
    // Patterns get whole bracket sets often, with the hyphens, `!` and `]` that Python's parser treats specially.
    s += sets && next() < 0.3 ? `[${randomString(next, SET_ALPHABET, 6)}]` : alphabet[Math.floor(next() * alphabet.length)];
  }
  return s;
}

/** The characters of `pattern`, each with its neighbours by code point. */
function nearby(pattern: string): string[] {
  const out = new Set<string>(["\n"]);
  for (const c of pattern) {
    const cp = c.codePointAt(0)!;
    for (const d of [cp - 1, cp, cp + 1]) out.add(String.fromCodePoint(d));
  }
  return [...out];
}

/** A name the pattern roughly describes: wildcards filled in, a set replaced by one of its characters. */
function instance(next: () => number, pattern: string): string {
  const chars = [...pattern];
  const near = nearby(pattern);
  let out = "";
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const close = c === "[" ? chars.indexOf("]", i + 2) : -1;
    if (c === "*") out += randomString(next, near, 2);
    else if (c === "?") out += near[Math.floor(next() * near.length)];
    else if (close > 0) {
      const inside = chars.slice(i + 1, close);
      out += inside[Math.floor(next() * inside.length)];
      i = close;
    } else out += c;
  }
  return out;
}

/** Hand-picked cases, with what Python 3.11 answers (checked against python3 below as well). */
const EDGES: ReadonlyArray<readonly [pattern: string, name: string, expected: boolean]> = [
  ["room.*", "room.1", true],
  ["room.*", "room.a.b/c", true],
  ["room.*", "room", false],
  ["*", "", true],
  ["*", "a\nb", true],
  ["?", "\n", true],
  ["?", "😀", true],
  ["??", "😀", false],
  ["[]]", "]", true],
  ["[!]]", "a", true],
  ["[!]]", "]", false],
  ["[]", "[]", true],
  ["[!]", "[!]", true],
  ["a[b", "a[b", true],
  ["a[b", "ab", false],
  ["[a-]", "-", true],
  ["[-a]", "-", true],
  ["[!-]", "-", false],
  ["[z-a]", "z", false],
  ["[z-a]", "a", false],
  ["[!z-a]", "q", true],
  ["[a-c-e]", "-", true],
  ["[a-c-e]", "d", false],
  ["[z-a-c]", "-", true],
  ["[z-a-c]", "b", false],
  ["[a-z]", "m", true],
  ["[!a-z]", "m", false],
  ["[\\]", "\\", true],
  ["{a,b}", "a", false],
  ["{a,b}", "{a,b}", true],
  ["**", "a/b/c", true],
  ["*(a*)", "(aaa)", true],
  ["*(a*)", "aaa", false],
  ["a*a*a*a*a*a*a*a*b", "a".repeat(40), false],
  // Removing a reversed range can bring a `!` to the front of the set: Python then negates it.
  ["/[z-\\!-^]", "/!", true],
  ["/[z-\\!-^]", "/-", false],
  ["b(?[z-b!--]c", "b(d!c", true],
  [".[^zb]*[z-\\!-!]", ".bb^-", false],
];

describe("GlobPattern", () => {
  it("answers the hand-picked edge cases as Python's fnmatchcase does", () => {
    const python = pythonFnmatch(EDGES.map(([p, n]) => [p, n] as const));
    EDGES.forEach(([pattern, name, expected], i) => {
      expect({ pattern, name, ours: GlobPattern.compile(pattern).test(name) }).toEqual({ pattern, name, ours: expected });
      expect({ pattern, name, python: python[i] }).toEqual({ pattern, name, python: expected });
    });
  });

  it("agrees with Python's fnmatchcase on random patterns and names", () => {
    const seed = Date.now() >>> 0;
    const next = rng(seed);
    const pairs: Array<readonly [string, string]> = [];
    for (let i = 0; i < 4000; i++) {
      const pattern = randomString(next, PATTERN_ALPHABET, 6, true);
      // Most names are drawn from the pattern's own characters and their neighbours (`d` for `[c-e]`), so matches
      // and near misses are common.
      const r = next();
      const name = r < 0.2 ? randomString(next, NAME_ALPHABET, 8) : r < 0.6 ? randomString(next, nearby(pattern), 5) : instance(next, pattern);
      pairs.push([pattern, name]);
    }
    const python = pythonFnmatch(pairs);
    const differ = pairs.filter(([p, n], i) => GlobPattern.compile(p).test(n) !== python[i]);
    expect({ seed, differ: differ.slice(0, 5) }).toEqual({ seed, differ: [] });
    expect(python.filter(Boolean).length).toBeGreaterThan(400); // the batch exercises matches, not only misses
  });

  it("tells patterns from exact names and finds the literal ends", () => {
    const p = GlobPattern.compile("user.12.*.x");
    expect([p.isPattern, p.prefix, p.suffix, p.longestRun]).toEqual([true, "user.12.", ".x", "user.12."]);
    const lit = GlobPattern.compile("a[b");
    expect([lit.isPattern, lit.prefix, lit.suffix]).toEqual([false, "a[b", "a[b"]);
    expect(GlobPattern.compile("[x]").isPattern).toBe(true);
    expect(GlobPattern.compile("*").prefix).toBe("");
    expect(["user.1.*", "*", "a*b", "a*?", "a?", "a[*]", "a**"].map((t) => GlobPattern.compile(t).prefixOnly)).toEqual([true, true, false, false, false, false, true]);
  });

  it("matches a backtracking-hostile pattern in steps linear in name × pattern", () => {
    // micromatch took seconds on these; here each is a bounded walk.
    const name = "a".repeat(1024);
    expect(GlobPattern.compile("*(a*)*(a*)*(a*)b").test(name)).toBe(false);
    expect(GlobPattern.compile(`${"a*".repeat(100)}b`).test(name)).toBe(false);
    expect(GlobPattern.compile(`${"a*".repeat(100)}a`).test(name)).toBe(true);
  });
});
