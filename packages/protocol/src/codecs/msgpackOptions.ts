import { Packr, type Options } from "msgpackr";

/**
 * Standard msgpack only: no records/structures extension, maps as plain objects,
 * `undefined` as nil, bin as bytes, integers as numbers up to ±2^53 and bigints
 * beyond. msgpackr's own encoding writes numbers outside the int32/uint32 range
 * as float64; the codec's encoders (msgpackEncode.ts, packMsgpack.ts) do not use
 * it for numbers: an integer with |n| <= 2^53 - 1 takes the smallest int format
 * (uint64/int64 beyond 32 bits), -0 and other numbers are float64; a bigint is
 * always a 64-bit int (int64, or uint64 above 2^63-1) and throws RangeError
 * outside [-2^63, 2^64).
 */
export const MSGPACK_OPTIONS: Options = {
  useRecords: false,
  mapsAsObjects: true,
  encodeUndefinedAsNil: true,
  // msgpackr supports "auto" (number when safe, bigint beyond 2^53); its typings lag behind.
  int64AsType: "auto" as Options["int64AsType"],
  variableMapSize: true,
  moreTypes: false,
  structuredClone: false,
  bundleStrings: false,
};

/** msgpackr with MSGPACK_OPTIONS: the reference the hand-written encoders are tested against (integers apart). */
export const packr = new Packr(MSGPACK_OPTIONS);
