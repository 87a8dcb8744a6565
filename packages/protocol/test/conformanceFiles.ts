// The conformance files (conformance/*.json) as the tests read them.
import { readFileSync } from "node:fs";

/** One entry of vectors.json. */
export interface Vector {
  name: string;
  description: string;
  value: unknown;
  json_value?: unknown;
  json: string;
  msgpack: string;
}

/** One entry of invalid.json or lenient.json. */
export interface InputCase {
  name: string;
  codec: "json" | "msgpack";
  frame: "text" | "binary";
  text?: string;
  hex?: string;
  decodes_to: Record<string, unknown>;
  note: string;
}

/** The text of conformance/`name`. */
export function conformanceText(name: string): string {
  return readFileSync(new URL(`../conformance/${name}`, import.meta.url), "utf8");
}

export const vectors = (): Vector[] => JSON.parse(conformanceText("vectors.json")) as Vector[];
export const inputCases = (name: "invalid.json" | "lenient.json"): InputCase[] => JSON.parse(conformanceText(name)) as InputCase[];
