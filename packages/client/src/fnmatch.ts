/** A code point's number (strings compare by UTF-16 unit, which orders astral characters wrongly). */
const cp = (c: string): number => c.codePointAt(0)!;

/** The index after the token at `i` when it matches the character `c`, else -1. */
function one(p: string[], i: number, c: string): number {
  const t = p[i];
  if (t === "?") return i + 1;
  if (t === "[") {
    let k = i + 1;
    const negated = p[k] === "!";
    if (negated) k++;
    const end = p.indexOf("]", k + 1); // a `]` right after `[` or `[!` is a member
    if (end > 0) {
      let hit = false;
      for (; k < end; k++) {
        if (p[k + 1] === "-" && k + 2 < end) {
          hit ||= cp(c) >= cp(p[k]!) && cp(c) <= cp(p[k + 2]!); // a reversed range matches nothing
          k += 2;
        } else hit ||= c === p[k];
      }
      return hit !== negated ? end + 1 : -1;
    }
  }
  return t === c ? i + 1 : -1;
}

/**
 * Python's `fnmatch.fnmatchcase`, as the server matches channel patterns (PROTOCOL.md § Channel
 * patterns): `*`, `?`, `[set]`, `[!set]`; a name without them matches only itself. Steps are
 * bounded by name length × pattern length (backing up to the last `*` only).
 */
export function fnmatch(pattern: string, name: string): boolean {
  const p = [...pattern];
  const s = [...name];
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (j < s.length) {
    if (p[i] === "*") {
      star = ++i;
      mark = j;
      continue;
    }
    const next = i < p.length ? one(p, i, s[j]!) : -1;
    if (next > 0) {
      i = next;
      j++;
    } else if (star < 0) return false;
    else {
      i = star;
      j = ++mark;
    }
  }
  while (p[i] === "*") i++;
  return i === p.length;
}
