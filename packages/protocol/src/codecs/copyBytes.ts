/*
 * Uint8Array's own `set` and `subarray`, called through constants. On Node 20 (V8 11.3) the
 * optimizing compiler leaves `bytes.set(...)` and `bytes.subarray(...)` on a typed array as a generic
 * property lookup (a LoadIC call per use, seen with `node --print-opt-code`); through a constant
 * function the call goes straight to the builtin. Used on the codecs' per-message paths.
 */
const u8Set = Uint8Array.prototype.set;
const u8Subarray = Uint8Array.prototype.subarray;

/** `target.set(source, at)`. */
export function copyBytes(target: Uint8Array, source: ArrayLike<number>, at: number): void {
  u8Set.call(target, source, at);
}

/** `bytes.subarray(from, to)`: a view, not a copy. */
export function viewBytes(bytes: Uint8Array, from: number, to: number): Uint8Array {
  return u8Subarray.call(bytes, from, to);
}
