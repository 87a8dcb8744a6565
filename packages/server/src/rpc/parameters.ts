/** One declared parameter of an RPC method, read from its source text. */
export interface ParameterInfo {
  /** The name, or undefined for a destructuring pattern (positional only). */
  name: string | undefined;
  /** True when the parameter has a default value. */
  optional: boolean;
  /** True for a `...rest` parameter. */
  rest: boolean;
}

const OPEN = new Set(["(", "[", "{"]);
const CLOSE = new Set([")", "]", "}"]);

/** Splits `text` at top-level commas, skipping strings, template literals and nested brackets. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote !== undefined) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (OPEN.has(c)) depth++;
    else if (CLOSE.has(c)) depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

/** The text between a function's parameter parentheses. */
function parameterText(source: string): string {
  const open = source.indexOf("(");
  if (open === -1) {
    // `x => …`: a single bare parameter.
    const arrow = source.indexOf("=>");
    return arrow === -1 ? "" : source.slice(0, arrow).replace(/^async\s+/, "").trim();
  }
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < source.length; i++) {
    const c = source[i] as string;
    if (quote !== undefined) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return source.slice(open + 1, i);
  }
  return "";
}

/**
 * Reads a function's declared parameters from its source text, so RPC `kwargs`
 * can bind by name and arity can be checked. Comments are not expected (compiled
 * output has none in parameter lists).
 */
export function readParameters(fn: Function): ParameterInfo[] {
  const text = parameterText(Function.prototype.toString.call(fn));
  return splitTopLevel(text).map((part) => {
    const rest = part.startsWith("...");
    const body = rest ? part.slice(3).trim() : part;
    const eq = splitAssign(body);
    const target = eq.target.trim();
    const name = /^[A-Za-z_$][\w$]*$/.test(target) ? target : undefined;
    return { name, optional: eq.hasDefault, rest };
  });
}

function splitAssign(text: string): { target: string; hasDefault: boolean } {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (OPEN.has(c)) depth++;
    else if (CLOSE.has(c)) depth--;
    else if (c === "=" && depth === 0 && text[i + 1] !== ">") return { target: text.slice(0, i), hasDefault: true };
  }
  return { target: text, hasDefault: false };
}
