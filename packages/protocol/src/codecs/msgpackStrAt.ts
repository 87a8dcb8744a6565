import { scratch, scratchView } from "./msgpackDecode.js";

// `var`, not `let`: see msgpackDecode.ts.
var length = 0;

/**
 * Where the bytes of a str at `p` of the cursor's scratch copy start (any header width), with their
 * number in strLength(); -1 for anything else or a str that does not fit before `end`.
 */
export function msgpackStrAt(p: number, end: number): number {
  const b = scratch[p] as number;
  let from: number;
  if (b >= 0xa0 && b < 0xc0) (length = b & 0x1f), (from = p + 1);
  else if (b === 0xd9 && p + 2 <= end) (length = scratch[p + 1] as number), (from = p + 2);
  else if (b === 0xda && p + 3 <= end) (length = scratchView.getUint16(p + 1)), (from = p + 3);
  else if (b === 0xdb && p + 5 <= end) (length = scratchView.getUint32(p + 1)), (from = p + 5);
  else return -1;
  return length <= end - from ? from : -1;
}

/** The length of the str msgpackStrAt last found. */
export function strLength(): number {
  return length;
}
