// The scan the decoder replaced (scan, then msgpackr): kept as the reference its differential tests compare against.
import { MAX_DEPTH } from "../src/validate.js";

/** Ext type -1 (0xff as a byte): the msgpack timestamp, the only extension the wire allows. */
const TIMESTAMP_EXT = 0xff;

/** "__proto__" in UTF-8. */
const PROTO = Array.from("__proto__", (c) => c.charCodeAt(0));

/** True when the 9 bytes at `pos` spell "__proto__". */
function isProto(bytes: Uint8Array, pos: number): boolean {
  for (let i = 0; i < 9; i++) if (bytes[pos + i] !== PROTO[i]) return false;
  return true;
}

function fail(message: string): never {
  throw new RangeError(message);
}

function truncated(bytes: Uint8Array): never {
  return fail(`unexpected end of msgpack data at byte ${bytes.length}`);
}

/** Reads a big-endian unsigned integer of `size` bytes at `pos`. */
function readUint(bytes: Uint8Array, pos: number, size: number): number {
  if (pos + size > bytes.length) truncated(bytes);
  let n = 0;
  for (let i = 0; i < size; i++) n = n * 256 + (bytes[pos + i] as number);
  return n;
}

/** Checks the extension whose type byte is at `pos` and payload is `size` bytes; returns the bytes to skip. */
function extension(bytes: Uint8Array, pos: number, size: number): number {
  if (pos >= bytes.length) truncated(bytes);
  const type = bytes[pos] as number;
  if (type !== TIMESTAMP_EXT) fail(`msgpack extension type ${(type << 24) >> 24} is not allowed (only the timestamp, -1)`);
  if (size !== 4 && size !== 8 && size !== 12) fail(`msgpack timestamp of ${size} bytes (expected 4, 8 or 12)`);
  return 1 + size;
}

/**
 * Walks msgpack bytes without building any value and throws a RangeError unless
 * they hold exactly one standard msgpack value: not truncated, no trailing bytes,
 * no never-used byte 0xc1, no extension type other than the timestamp (-1), and
 * containers nested at most `maxDepth` deep (the outermost container is level 1).
 *
 * Iterative, so hostile nesting cannot overflow the stack, and linear in the
 * input: strings and binaries are skipped by their length.
 *
 * @returns true when some string in the value is "__proto__" (a key, most
 * likely), which msgpackr would rename: the caller then decodes another way.
 */
export function scanMsgpack(bytes: Uint8Array, maxDepth: number = MAX_DEPTH): boolean {
  const end = bytes.length;
  let pos = 0;
  let proto = false;
  let str = -1; // length of a string to skip, checked for "__proto__"
  let level = 0; // containers open around the next value
  let left = 1; // values still to read at this level (level 0 holds the one top value)
  const outer: number[] = []; // `left` of each enclosing level
  for (;;) {
    if (left === 0) {
      if (level === 0) break;
      level--;
      left = outer.pop() as number;
      continue;
    }
    left--;
    if (pos >= end) truncated(bytes);
    const b = bytes[pos++] as number;
    let items = -1;
    if (b <= 0x7f || b >= 0xe0) {
      // positive or negative fixint
    } else if (b <= 0x8f) items = (b & 0x0f) * 2; // fixmap
    else if (b <= 0x9f) items = b & 0x0f; // fixarray
    else if (b <= 0xbf) str = b & 0x1f; // fixstr
    else {
      switch (b) {
        case 0xc0: case 0xc2: case 0xc3: break; // nil, false, true
        case 0xc1: fail(`msgpack byte 0xc1 (never used) at byte ${pos - 1}`);
        case 0xc4: pos += 1 + readUint(bytes, pos, 1); break; // bin8
        case 0xc5: pos += 2 + readUint(bytes, pos, 2); break; // bin16
        case 0xc6: pos += 4 + readUint(bytes, pos, 4); break; // bin32
        case 0xd9: str = readUint(bytes, pos, 1); pos += 1; break; // str8
        case 0xda: str = readUint(bytes, pos, 2); pos += 2; break; // str16
        case 0xdb: str = readUint(bytes, pos, 4); pos += 4; break; // str32
        case 0xc7: pos += 1 + extension(bytes, pos + 1, readUint(bytes, pos, 1)); break; // ext8
        case 0xc8: pos += 2 + extension(bytes, pos + 2, readUint(bytes, pos, 2)); break; // ext16
        case 0xc9: pos += 4 + extension(bytes, pos + 4, readUint(bytes, pos, 4)); break; // ext32
        case 0xcc: case 0xd0: pos += 1; break; // uint8, int8
        case 0xcd: case 0xd1: pos += 2; break; // uint16, int16
        case 0xca: case 0xce: case 0xd2: pos += 4; break; // float32, uint32, int32
        case 0xcb: case 0xcf: case 0xd3: pos += 8; break; // float64, uint64, int64
        case 0xd4: case 0xd5: case 0xd6: case 0xd7: case 0xd8: pos += extension(bytes, pos, 1 << (b - 0xd4)); break; // fixext 1..16
        case 0xdc: items = readUint(bytes, pos, 2); pos += 2; break; // array16
        case 0xdd: items = readUint(bytes, pos, 4); pos += 4; break; // array32
        case 0xde: items = readUint(bytes, pos, 2) * 2; pos += 2; break; // map16
        case 0xdf: items = readUint(bytes, pos, 4) * 2; pos += 4; break; // map32
      }
    }
    if (str >= 0) {
      if (str === 9 && isProto(bytes, pos)) proto = true;
      pos += str;
      str = -1;
    }
    if (pos > end) truncated(bytes);
    if (items >= 0) {
      if (level >= maxDepth) fail(`nesting deeper than ${maxDepth}`);
      outer.push(left);
      level++;
      left = items;
    }
  }
  if (pos !== end) fail(`${end - pos} trailing byte(s) after the msgpack value`);
  return proto;
}
