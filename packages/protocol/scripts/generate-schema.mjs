// @ts-check
/**
 * Writes schema/*.schema.json: the packet schemas as JSON Schema (draft
 * 2020-12), straight from the TypeBox schemas the decoders validate with.
 *
 *   node scripts/generate-schema.mjs     (run by `pnpm build`, after tsc: it uses dist/)
 *
 * src/schema.test.ts fails when the committed files differ from a fresh run.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

/** @typedef {typeof import("../src/index.js")} Protocol */

export const DIALECT = "https://json-schema.org/draft/2020-12/schema";

/** Keywords first, in this order; any others follow alphabetically. */
const KEYWORD_ORDER = [
  "$schema", "$id", "$comment", "title", "description", "type", "const", "enum", "anyOf", "oneOf", "allOf",
  "required", "properties", "patternProperties", "additionalProperties", "items", "default",
];
/** Keywords whose value maps names to schemas: their order is the field order, kept as declared. */
const NAME_MAPS = new Set(["properties", "patternProperties", "$defs"]);

/**
 * A plain JSON copy of a TypeBox schema: symbol keys gone, keywords in a fixed
 * order, property order kept, `$id` only at the root (an embedded schema
 * repeating its own `$id` would clash when a validator loads all three files).
 * @param {unknown} node
 * @param {boolean} root
 * @returns {unknown}
 */
function canonical(node, root) {
  if (Array.isArray(node)) return node.map((n) => canonical(n, false));
  if (node === null || typeof node !== "object") return node;
  const source = /** @type {Record<string, unknown>} */ (node);
  const rank = (/** @type {string} */ k) => (KEYWORD_ORDER.includes(k) ? KEYWORD_ORDER.indexOf(k) : KEYWORD_ORDER.length);
  const keys = Object.keys(source)
    .filter((k) => root || k !== "$id")
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const k of keys) {
    const v = source[k];
    if (NAME_MAPS.has(k) && v !== null && typeof v === "object") {
      /** @type {Record<string, unknown>} */
      const names = {};
      for (const [name, schema] of Object.entries(v)) names[name] = canonical(schema, false);
      out[k] = names;
    } else out[k] = canonical(v, false);
  }
  return out;
}

/**
 * The three schema files, as text.
 * @param {Protocol} p
 * @returns {Record<"packet.schema.json" | "rpc-request.schema.json" | "rpc-response.schema.json", string>}
 */
export function buildSchemas(p) {
  const file = (/** @type {object} */ schema, /** @type {string} */ comment) =>
    `${JSON.stringify(canonical({ $schema: DIALECT, $comment: comment, ...schema }, true), null, 2)}\n`;
  const note = "Generated from @webshocket/protocol's TypeBox schemas by scripts/generate-schema.mjs; do not edit.";
  return {
    "packet.schema.json": file(p.PacketSchema, `${note} See PROTOCOL.md.`),
    "rpc-request.schema.json": file(p.RPCRequestSchema, `${note} The \`rpc\` field of a packet sent to call a method.`),
    "rpc-response.schema.json": file(p.RPCResponseSchema, `${note} The \`rpc\` field of a packet answering a call.`),
  };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  /** @type {Protocol} */
  const protocol = await import(new URL("../dist/index.js", import.meta.url).href);
  const dir = new URL("../schema/", import.meta.url);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(buildSchemas(protocol))) {
    writeFileSync(new URL(name, dir), content);
    console.log(`wrote schema/${name}`);
  }
}
