// @ts-check
/**
 * Writes conformance/{vectors,invalid,lenient}.json: what webshocket's codecs
 * write and read, for bindings in other languages to test against.
 *
 *   node scripts/generate-conformance.mjs     (after the build: it uses dist/)
 *
 * src/conformance.test.ts runs buildConformance() against src/ and fails when
 * the committed files differ, so they cannot drift from the code.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { invalidCases } from "./conformance/invalid.mjs";
import { lenientCases } from "./conformance/lenient.mjs";
import { vectorCases } from "./conformance/vectors.mjs";
import { toHex, toTagged } from "./tagged.mjs";

/** @typedef {typeof import("../src/index.js")} Protocol */
/** @typedef {import("../src/index.js").Packet} Packet */
/** @typedef {{ name: string, codec: "json" | "msgpack", input: string | Uint8Array, note: string }} InputCase */

/**
 * @param {boolean} ok
 * @param {string} message
 * @returns {asserts ok}
 */
function check(ok, message) {
  if (!ok) throw new Error(`conformance generator: ${message}`);
}

/** @param {string | Uint8Array} input */
function describeInput(input) {
  return typeof input === "string" ? { frame: "text", text: input } : { frame: "binary", hex: toHex(input) };
}

/**
 * Decodes an input case; a call_id the decoder made up is written as
 * `{"$generated": "uuid-v4"}`, since it differs on every run.
 * @param {Protocol} p
 * @param {InputCase} c
 */
function decodeCase(p, c) {
  const codec = c.codec === "json" ? p.jsonCodec : p.msgpackCodec;
  const first = codec.decodeDetailed(c.input);
  const again = codec.decodeDetailed(c.input);
  const packet = /** @type {Record<string, unknown>} */ (toTagged(first.packet));
  const rpc = /** @type {Record<string, unknown> | null} */ (packet.rpc);
  if (rpc !== null && first.packet.rpc?.call_id !== again.packet.rpc?.call_id) rpc.call_id = { $generated: "uuid-v4" };
  return { packet, error: first.error };
}

/**
 * The three files, as text. Checks every case on the way, so a wrong vector
 * cannot be written.
 * @param {Protocol} p
 * @returns {Record<"vectors.json" | "invalid.json" | "lenient.json", string>}
 */
export function buildConformance(p) {
  const vectors = vectorCases(p).map(({ name, description, packet }) => {
    const value = toTagged(packet);
    const json = p.jsonCodec.stringify(packet);
    const msgpack = p.msgpackCodec.encode(packet);
    const fromMsgpack = p.msgpackCodec.decodeDetailed(msgpack);
    const fromJson = p.jsonCodec.decodeDetailed(json);
    check(fromMsgpack.error === undefined && fromJson.error === undefined, `${name} does not decode`);
    check(isDeepStrictEqual(toTagged(fromMsgpack.packet), value), `${name}: msgpack does not decode to the value`);
    const jsonValue = toTagged(fromJson.packet);
    return {
      name,
      description,
      value,
      ...(isDeepStrictEqual(jsonValue, value) ? {} : { json_value: jsonValue }),
      json,
      msgpack: toHex(msgpack),
    };
  });
  const invalid = invalidCases(p).map((c) => {
    const { packet, error } = decodeCase(p, c);
    check(packet.source === p.PacketSource.UNKNOWN && typeof error === "string", `${c.name} is not refused`);
    return { name: c.name, codec: c.codec, ...describeInput(c.input), decodes_to: packet, note: c.note };
  });
  const lenient = lenientCases().map((c) => {
    const { packet, error } = decodeCase(p, c);
    check(error === undefined, `${c.name} is refused: ${error}`);
    return { name: c.name, codec: c.codec, ...describeInput(c.input), decodes_to: packet, note: c.note };
  });
  const text = (/** @type {unknown} */ v) => `${JSON.stringify(v, null, 2)}\n`;
  return { "vectors.json": text(vectors), "invalid.json": text(invalid), "lenient.json": text(lenient) };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  /** @type {Protocol} */
  const protocol = await import(new URL("../dist/index.js", import.meta.url).href);
  const dir = new URL("../conformance/", import.meta.url);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(buildConformance(protocol))) {
    writeFileSync(new URL(file, dir), content);
    console.log(`wrote conformance/${file}`);
  }
}
