/** A JSON string (skipped whole), or one bracket. Unrolled string loop: one step per run of plain characters. */
const TOKEN = /"[^"\\]*(?:\\.[^"\\]*)*"|[[\]{}]/g;

/**
 * True when JSON text opens more than `limit` arrays/objects inside each other.
 * Runs before JSON.parse, so hostile nesting costs one regex pass instead of
 * building millions of empty arrays. Only counts: malformed text is left for
 * JSON.parse to reject.
 */
export function exceedsJsonDepth(text: string, limit: number): boolean {
  // Nesting deeper than `limit` takes at least 2 * (limit + 1) characters.
  if (text.length <= 2 * limit + 1) return false;
  const tokens = new RegExp(TOKEN);
  let depth = 0;
  for (let m = tokens.exec(text); m !== null; m = tokens.exec(text)) {
    const c = m[0].charCodeAt(0);
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return false;
}
