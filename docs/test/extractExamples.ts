/** One runnable example of a markdown document. */
export interface DocExample {
  /** From `<!-- example: NAME -->`. */
  name: string;
  /** The TypeScript of the fenced block after the marker. */
  code: string;
  /** The ```text block after `<!-- output -->`, if there is one: what the example must print. */
  output: string | undefined;
  /** 1-based line of the marker, for error messages. */
  line: number;
}

const MARKER = /^<!-- example: ([a-z0-9-]+) -->$/;

/** Reads the fenced block whose opening fence is at or after `from`: its language, text, and the line after it. */
function fence(lines: readonly string[], from: number): { lang: string; text: string; next: number } | undefined {
  let i = from;
  while (i < lines.length && lines[i]?.trim() === "") i++;
  const open = /^```(\w*)\s*$/.exec(lines[i] ?? "");
  if (!open) return undefined;
  const end = lines.indexOf("```", i + 1);
  if (end === -1) throw new Error(`unclosed code fence at line ${i + 1}`);
  return { lang: open[1] ?? "", text: lines.slice(i + 1, end).join("\n"), next: end + 1 };
}

/**
 * Every example of a markdown document: a ```ts block right after `<!-- example: NAME -->`, optionally
 * followed by `<!-- output -->` and a ```text block with the exact expected stdout. Throws when a ```ts
 * block has no marker (it would never be run) or a marker has no ```ts block.
 */
export function extractExamples(markdown: string): DocExample[] {
  const lines = markdown.split(/\r?\n/);
  const examples: DocExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = MARKER.exec(lines[i] ?? "");
    if (!m?.[1]) continue;
    const block = fence(lines, i + 1);
    if (block?.lang !== "ts") throw new Error(`line ${i + 1}: <!-- example: ${m[1]} --> is not followed by a \`\`\`ts block`);
    let output: string | undefined;
    let j = block.next;
    while (j < lines.length && lines[j]?.trim() === "") j++;
    if (lines[j] === "<!-- output -->") {
      const out = fence(lines, j + 1);
      if (out?.lang !== "text") throw new Error(`line ${j + 1}: <!-- output --> is not followed by a \`\`\`text block`);
      output = out.text;
    }
    examples.push({ name: m[1], code: block.text, output, line: i + 1 });
  }
  const tsBlocks = lines.filter((l) => /^```ts\s*$/.test(l)).length;
  if (tsBlocks !== examples.length) throw new Error(`${tsBlocks - examples.length} \`\`\`ts block(s) have no <!-- example: NAME --> marker, so they would never run`);
  const names = examples.map((e) => e.name);
  const dup = names.find((n, k) => names.indexOf(n) !== k);
  if (dup) throw new Error(`two examples are named "${dup}"`);
  return examples;
}
