// @ts-check
/** @typedef {typeof import("../../src/index.js")} Protocol */
/** @typedef {{ name: string, codec: "json" | "msgpack", input: string | Uint8Array, note: string }} InvalidCase */

const REQUEST = { source: 5, rpc: { type: "request", method: "add", args: [1], kwargs: {}, call_id: "c" } };
const RESPONSE = { source: 5, rpc: { type: "response", call_id: "c", response: 1, error: null, is_stream: false, is_end: false } };

/** Well-formed messages that are not packets: [name, value, note]. */
const NOT_PACKETS = /** @type {const} */ ([
  ["source-string", { source: "5" }, "source must be an integer 1..5"],
  ["source-out-of-range", { source: 6 }, "source must be one of 1..5"],
  ["source-missing", { data: 1 }, "source is required"],
  ["method-number", { ...REQUEST, rpc: { ...REQUEST.rpc, method: 5 } }, "method must be a string"],
  ["args-object", { ...REQUEST, rpc: { ...REQUEST.rpc, args: {} } }, "args must be an array"],
  ["kwargs-array", { ...REQUEST, rpc: { ...REQUEST.rpc, kwargs: [] } }, "kwargs must be a map"],
  ["call-id-number", { ...REQUEST, rpc: { ...REQUEST.rpc, call_id: 1 } }, "call_id must be a string"],
  ["response-without-call-id", { source: 5, rpc: { type: "response", response: 1 } }, "a response needs its call_id"],
  ["error-string", { ...RESPONSE, rpc: { ...RESPONSE.rpc, error: "x" } }, "error must be an RPCErrorCode or null"],
  ["error-unknown-code", { ...RESPONSE, rpc: { ...RESPONSE.rpc, error: -1 } }, "error must be one of the six codes"],
  ["is-stream-string", { ...RESPONSE, rpc: { ...RESPONSE.rpc, is_stream: "yes" } }, "is_stream must be a boolean"],
  ["rpc-type-unknown", { source: 5, rpc: { type: "call", method: "add" } }, 'rpc.type must be "request" or "response"'],
  ["channel-number", { source: 2, channel: 1 }, "channel must be a string or null"],
  ["timestamp-string", { source: 4, timestamp: "now" }, "timestamp must be a number or null"],
  ["top-level-array", [5, null], "a packet is a map"],
  ["top-level-string", "hello", "a packet is a map"],
  ["top-level-null", null, "a packet is a map"],
]);

/** @param {string} hex */
const bytes = (hex) => Uint8Array.from(hex.replace(/\s+/g, "").match(/../g) ?? [], (b) => parseInt(b, 16));

/**
 * Inputs every decoder must turn into an UNKNOWN packet (source 3) rather
 * than an error that ends the connection.
 * @param {Protocol} p
 * @returns {InvalidCase[]}
 */
export function invalidCases(p) {
  const json = p.stringifyJson;
  const deep = `{"source":4,"data":${"[".repeat(256)}${"]".repeat(256)}}`;
  /** @type {InvalidCase[]} */
  const cases = [];
  for (const [name, value, note] of NOT_PACKETS) {
    cases.push({ name: `json/${name}`, codec: "json", input: json(value), note: `${note}; data is the decoded message` });
    const input = p.msgpackCodec.encodeValue(value);
    cases.push({ name: `msgpack/${name}`, codec: "msgpack", input, note: `${note}; data is the decoded message` });
  }
  const TEXT = "not JSON; data is the text";
  const BYTES = "data is the bytes";
  const header = "82 a6 736f75726365 04 a4 64617461"; // {"source": 4, "data": ...
  /** @type {Array<[string, "json" | "msgpack", string | Uint8Array, string]>} */
  const malformed = [
    ["json/empty", "json", "", TEXT],
    ["json/truncated", "json", json(REQUEST).slice(0, -1), TEXT],
    ["json/trailing-text", "json", `${json({ source: 4 })} x`, TEXT],
    ["json/single-quotes", "json", "{'source':4}", TEXT],
    ["json/nesting-257", "json", deep, "nested deeper than 256 (the packet is level 1); data is the text"],
    ["json/invalid-utf8", "json", bytes("7b 22 73 6f 75 72 63 65 22 3a 34 2c 22 64 61 74 61 22 3a 22 ff 22 7d"), `a binary frame that is not UTF-8; ${BYTES}`],
    ["json/msgpack-bytes", "json", p.msgpackCodec.encodeValue(REQUEST), `msgpack sent to a JSON peer (not UTF-8); ${BYTES}`],
    ["msgpack/empty", "msgpack", new Uint8Array(0), `no value; ${BYTES}`],
    ["msgpack/truncated", "msgpack", p.msgpackCodec.encodeValue(REQUEST).subarray(0, 20), `the value is cut short; ${BYTES}`],
    ["msgpack/trailing-bytes", "msgpack", bytes("81 a6 736f75726365 04 c0"), `bytes after the value; ${BYTES}`],
    ["msgpack/byte-c1", "msgpack", bytes("81 a6 736f75726365 c1"), `0xc1 is never used; ${BYTES}`],
    ["msgpack/extension", "msgpack", bytes(`${header} d4 01 00`), `extension types other than the timestamp (-1) are refused; ${BYTES}`],
    ["msgpack/nesting-257", "msgpack", bytes(`${header} ${"91".repeat(255)} 90`), `nested deeper than 256 (the packet is level 1); ${BYTES}`],
    ["msgpack/text-frame", "msgpack", json(REQUEST), "msgpack peers send binary frames; a text frame's data is the text"],
  ];
  for (const [name, codec, input, note] of malformed) cases.push({ name, codec, input, note });
  return cases;
}
