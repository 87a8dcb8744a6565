import { MAX_DEPTH } from "../validate.js";

/** Ext type -1 (0xff as a byte): the msgpack timestamp, the only extension the wire allows. */
const TIMESTAMP_EXT = 0xff;
/** Payload sizes a timestamp may have: 32, 64 and 96 bits. */
const TIMESTAMP_SIZES: ReadonlySet<number> = new Set([4, 8, 12]);

function fail(message: string): never {
  throw new RangeError(message);
}

/**
 * Walks msgpack bytes without building any value and throws a RangeError unless
 * they hold exactly one standard msgpack value: not truncated, no trailing bytes,
 * no never-used byte 0xc1, no extension type other than the timestamp (-1), and
 * containers nested at most `maxDepth` deep (the outermost container is level 1).
 *
 * Iterative, so hostile nesting cannot overflow the stack, and linear in the
 * input: strings and binaries are skipped by their length.
 */
export function scanMsgpack(bytes: Uint8Array, maxDepth: number = MAX_DEPTH): void {
  const end = bytes.length;
  let pos = 0;
  const uint = (size: number): number => {
    if (pos + size > end) fail(`unexpected end of msgpack data at byte ${end}`);
    let n = 0;
    for (let i = 0; i < size; i++) n = n * 256 + (bytes[pos++] as number);
    return n;
  };
  const ext = (size: number): number => {
    const type = pos < end ? (bytes[pos] as number) : fail(`unexpected end of msgpack data at byte ${end}`);
    if (type !== TIMESTAMP_EXT) fail(`msgpack extension type ${(type << 24) >> 24} is not allowed (only the timestamp, -1)`);
    if (!TIMESTAMP_SIZES.has(size)) fail(`msgpack timestamp of ${size} bytes (expected 4, 8 or 12)`);
    return size + 1;
  };
  // pending[level]: values still to read at that level; level 0 holds the one top value.
  const pending: number[] = [1];
  while (pending.length > 0) {
    const level = pending.length - 1;
    const left = pending[level] as number;
    if (left === 0) {
      pending.pop();
      continue;
    }
    pending[level] = left - 1;
    if (pos >= end) fail(`unexpected end of msgpack data at byte ${end}`);
    const b = bytes[pos++] as number;
    let skip = 0;
    let items = -1;
    if (b <= 0x7f || b >= 0xe0) skip = 0; // fixint
    else if (b <= 0x8f) items = (b & 0x0f) * 2; // fixmap
    else if (b <= 0x9f) items = b & 0x0f; // fixarray
    else if (b <= 0xbf) skip = b & 0x1f; // fixstr
    else {
      switch (b) {
        case 0xc0: case 0xc2: case 0xc3: break; // nil, false, true
        case 0xc1: fail(`msgpack byte 0xc1 (never used) at byte ${pos - 1}`);
        case 0xc4: case 0xd9: skip = uint(1); break; // bin8, str8
        case 0xc5: case 0xda: skip = uint(2); break; // bin16, str16
        case 0xc6: case 0xdb: skip = uint(4); break; // bin32, str32
        case 0xc7: skip = ext(uint(1)); break; // ext8
        case 0xc8: skip = ext(uint(2)); break; // ext16
        case 0xc9: skip = ext(uint(4)); break; // ext32
        case 0xcc: case 0xd0: skip = 1; break; // uint8, int8
        case 0xcd: case 0xd1: skip = 2; break; // uint16, int16
        case 0xca: case 0xce: case 0xd2: skip = 4; break; // float32, uint32, int32
        case 0xcb: case 0xcf: case 0xd3: skip = 8; break; // float64, uint64, int64
        case 0xd4: case 0xd5: case 0xd6: case 0xd7: case 0xd8: skip = ext(1 << (b - 0xd4)); break; // fixext 1..16
        case 0xdc: items = uint(2); break; // array16
        case 0xdd: items = uint(4); break; // array32
        case 0xde: items = uint(2) * 2; break; // map16
        case 0xdf: items = uint(4) * 2; break; // map32
      }
    }
    pos += skip;
    if (pos > end) fail(`unexpected end of msgpack data at byte ${end}`);
    if (items >= 0) {
      if (level >= maxDepth) fail(`nesting deeper than ${maxDepth}`);
      pending.push(items);
    }
  }
  if (pos !== end) fail(`${end - pos} trailing byte(s) after the msgpack value`);
}
