/** Pre-encoded msgpack bytes: numbers are single bytes, strings become fixstr (short, ASCII). */
export function bytesOf(...parts: Array<string | number>): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === "number") out.push(p);
    else out.push(0xa0 | p.length, ...Array.from(p, (c) => c.charCodeAt(0)));
  }
  return Uint8Array.from(out);
}
