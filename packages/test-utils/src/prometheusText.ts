/** One sample line of the Prometheus text format. */
export interface PromSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A metric family: its `# TYPE`, `# HELP` and samples. */
export interface PromFamily {
  readonly name: string;
  readonly type: string;
  readonly help: string;
  readonly samples: PromSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);
const SUFFIXES: Record<string, readonly string[]> = { histogram: ["_bucket", "_sum", "_count"], summary: ["", "_sum", "_count"] };

function parseValue(text: string, line: string): number {
  if (text === "+Inf") return Number.POSITIVE_INFINITY;
  if (text === "-Inf") return Number.NEGATIVE_INFINITY;
  if (text === "NaN") return Number.NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new SyntaxError(`bad value in: ${line}`);
  return Number(text);
}

/** `{a="x",b="y"}` (escapes \\, \" and \n) → labels; throws on anything else. */
function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf("=", i);
    const name = text.slice(i, eq);
    if (eq < 0 || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) || text[eq + 1] !== '"') throw new SyntaxError(`bad label in: ${line}`);
    let value = "";
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === "\\") {
        const e = text[++j];
        value += e === "n" ? "\n" : e === "\\" || e === '"' ? e : (() => { throw new SyntaxError(`bad escape in: ${line}`); })();
      } else value += text[j];
    }
    if (j >= text.length) throw new SyntaxError(`unterminated label value in: ${line}`);
    if (name in labels) throw new SyntaxError(`repeated label ${name} in: ${line}`);
    labels[name] = value;
    i = j + 1;
    if (text[i] === ",") i++;
    else if (i < text.length) throw new SyntaxError(`bad label list in: ${line}`);
  }
  return labels;
}

/**
 * A strict parser of the Prometheus text exposition format (0.0.4), for tests: every sample must belong to a
 * family declared by `# TYPE` before it (histogram samples by their _bucket/_sum/_count names), names and
 * label syntax are checked, and a family may be declared once. Throws SyntaxError on anything else.
 */
export function parsePrometheusText(text: string): Map<string, PromFamily> {
  const families = new Map<string, PromFamily>();
  const help = new Map<string, string>();
  let current: PromFamily | undefined;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    if (line.startsWith("# HELP ")) {
      const rest = line.slice(7);
      const space = rest.indexOf(" ");
      help.set(space < 0 ? rest : rest.slice(0, space), space < 0 ? "" : rest.slice(space + 1));
      continue;
    }
    if (line.startsWith("# TYPE ")) {
      const [, , name = "", type = ""] = line.split(" ");
      if (!NAME.test(name) || !TYPES.has(type)) throw new SyntaxError(`bad TYPE line: ${line}`);
      if (families.has(name)) throw new SyntaxError(`family declared twice: ${name}`);
      current = { name, type, help: help.get(name) ?? "", samples: [] };
      families.set(name, current);
      continue;
    }
    if (line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/.exec(line);
    if (m === null) throw new SyntaxError(`bad sample line: ${line}`);
    const [, name = "", labelText, valueText = ""] = m;
    if (current === undefined) throw new SyntaxError(`sample before any TYPE: ${line}`);
    const allowed = (SUFFIXES[current.type] ?? [""]).map((s) => current!.name + s);
    if (!allowed.includes(name)) throw new SyntaxError(`sample ${name} outside its family ${current.name}`);
    current.samples.push({ name, labels: labelText === undefined ? {} : parseLabels(labelText, line), value: parseValue(valueText, line) });
  }
  return families;
}

/** The value of the one sample called `name` whose labels include `labels`; undefined when none; throws when several. */
export function promValue(families: ReadonlyMap<string, PromFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const family = families.get(name) ?? families.get(name.replace(/_(bucket|sum|count)$/, ""));
  const found = (family?.samples ?? []).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}
