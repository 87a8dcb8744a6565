/**
 * True when JSON text opens more than `limit` arrays/objects inside each other.
 * Runs before JSON.parse, so hostile nesting costs one pass over the text
 * instead of building millions of empty arrays. Only counts brackets outside
 * strings: malformed text is left for JSON.parse to reject.
 */
export function exceedsJsonDepth(text: string, limit: number): boolean {
  // Nesting deeper than `limit` takes at least 2 * (limit + 1) characters.
  if (text.length <= 2 * limit + 1) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return false;
}
