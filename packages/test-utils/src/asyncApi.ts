import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { default: Ajv } = require("ajv") as typeof import("ajv");
const { default: addFormats } = require("ajv-formats") as typeof import("ajv-formats");
const specs = require("@asyncapi/specs") as { schemas: Record<string, object> };

const DRAFT_07 = "http://json-schema.org/draft-07/schema";

let validate: ReturnType<InstanceType<typeof Ajv>["compile"]> | undefined;

/**
 * Problems of `document` against the official AsyncAPI 3.0.0 JSON Schema (from `@asyncapi/specs`), as
 * "path: message" lines, plus every local `$ref` ("#/...") that points nowhere (the schema cannot check those);
 * empty when it validates.
 */
export function asyncApiErrors(document: unknown): string[] {
  if (validate === undefined) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const schema = specs.schemas["3.0.0"] as { definitions?: Record<string, unknown> } | undefined;
    if (schema === undefined) throw new Error("@asyncapi/specs has no 3.0.0 schema");
    // The schema embeds a copy of the draft-07 meta-schema, which Ajv already has under the same id.
    const definitions = { ...schema.definitions };
    delete definitions[DRAFT_07];
    validate = ajv.compile({ ...schema, definitions });
  }
  const errors = validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
  return [...errors, ...danglingRefs(document, document, "")];
}

function danglingRefs(root: unknown, node: unknown, path: string): string[] {
  if (typeof node !== "object" || node === null) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === "$ref" && typeof value === "string" && value.startsWith("#/") && resolve(root, value) === undefined) found.push(`${path}: $ref ${value} points nowhere`);
    else found.push(...danglingRefs(root, value, `${path}/${key}`));
  }
  return found;
}

function resolve(root: unknown, ref: string): unknown {
  let node = root;
  for (const part of ref.slice(2).split("/")) {
    const key = decodeURIComponent(part).replaceAll("~1", "/").replaceAll("~0", "~");
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
