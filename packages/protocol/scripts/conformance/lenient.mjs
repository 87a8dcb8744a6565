// @ts-check
/** @typedef {{ name: string, codec: "json" | "msgpack", input: string | Uint8Array, note: string }} LenientCase */

/** @param {string} hex */
const bytes = (hex) => Uint8Array.from(hex.replace(/\s+/g, "").match(/../g) ?? [], (b) => parseInt(b, 16));
/** @param {string} s */
const utf8 = (s) => new TextEncoder().encode(s);

/** msgpack for `"source"`, `"rpc"`, ... as fixstr. */
const K = {
  source: "a6 736f75726365",
  rpc: "a3 727063",
  data: "a4 64617461",
  timestamp: "a9 74696d657374616d70",
  type: "a4 74797065",
  request: "a7 72657175657374",
  method: "a6 6d6574686f64",
  add: "a3 616464",
  args: "a4 61726773",
  kwargs: "a6 6b7761726773",
};

/**
 * Valid packets in forms other than the one webshocket writes: what other
 * encoders (a browser's JSON.stringify, Python's msgspec, Go libraries) send.
 * Every decoder must accept them.
 * @returns {LenientCase[]}
 */
export function lenientCases() {
  return [
    {
      name: "json/seed-request",
      codec: "json",
      input: '{"rpc":{"type":"request","method":"add","args":[10,20],"kwargs":{}},"source":5}',
      note: "the seed README's browser request, verbatim: fields in any order, call_id absent (the receiver assigns one)",
    },
    {
      name: "json/seed-request-binary-frame",
      codec: "json",
      input: utf8('\uFEFF{"source":5,"rpc":{"type":"request","method":"add"}}'),
      note: "JSON in a binary frame, with a UTF-8 byte order mark; args and kwargs absent (default [] and {})",
    },
    {
      name: "json/pretty-and-unknown-fields",
      codec: "json",
      input: '{\n  "version": 2,\n  "source": 4,\n  "data": {"x": 1},\n  "extra": {"nested": true}\n}',
      note: "whitespace anywhere; unknown fields are ignored",
    },
    {
      name: "json/explicit-nulls",
      codec: "json",
      input:
        '{"source":5,"data":null,"rpc":{"type":"response","call_id":"c","response":null,"error":null},' +
        '"channel":null,"timestamp":null,"correlation_id":null}',
      note: "null written out for every nullable field; is_stream and is_end absent (default false)",
    },
    {
      name: "json/numbers",
      codec: "json",
      input: '{"source":4,"data":[9007199254740993,-9223372036854775808,1152921504606846976.0,1e3,1.5E-3,-2.5],"timestamp":1700000000}',
      note: "integer literals beyond ±2^53 are exact 64-bit integers; literals with a fraction or exponent are floats; an integer timestamp is fine",
    },
    {
      name: "json/escapes",
      codec: "json",
      input: '{"source":4,"data":"\\u00e9\\ud83d\\ude00\\/"}',
      note: "\\u escapes, a surrogate pair among them, and an escaped slash",
    },
    {
      name: "msgpack/seed-request",
      codec: "msgpack",
      input: bytes(`82 ${K.rpc} 84 ${K.type} ${K.request} ${K.method} ${K.add} ${K.args} 92 0a 14 ${K.kwargs} 80 ${K.source} 05`),
      note: "the seed request in msgpack: fields in any order, call_id absent",
    },
    {
      name: "msgpack/wide-headers",
      codec: "msgpack",
      input: bytes(`de 0002 d9 06 736f75726365 d3 0000000000000004 ${K.data} dc 0002 cd 0001 d1 ffff`),
      note: "map16, str8, array16 and wider-than-needed integers (int64 4, uint16 1, int16 -1) are all valid msgpack",
    },
    {
      name: "msgpack/msgspec-style",
      codec: "msgpack",
      input: bytes(`83 ${K.source} 04 ${K.data} 92 cf 0020000000000001 ca 3fc00000 ${K.timestamp} cb 41d954fc40000000`),
      note: "as Python's msgspec writes: uint64 (0xcf) for a non-negative 64-bit integer, a float32 (1.5), a float64 timestamp",
    },
    {
      name: "msgpack/timestamp-extension",
      codec: "msgpack",
      input: bytes(`82 ${K.source} 04 ${K.data} d6 ff 6553f100`),
      note: "the standard timestamp extension (-1) is the one extension allowed; JavaScript reads it as a Date",
    },
  ];
}
