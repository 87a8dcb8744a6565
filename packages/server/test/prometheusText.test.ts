import { describe, expect, it } from "vitest";
import { parsePrometheusText, promValue } from "@webshocket/test-utils";

describe("parsePrometheusText", () => {
  it("reads families, labels (with escapes) and histogram samples", () => {
    const m = parsePrometheusText(
      '# HELP a_total Things.\n# TYPE a_total counter\na_total{k="x \\"q\\"\\\\"} 3\n# TYPE h histogram\nh_bucket{le="0.1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 0.5\nh_count 2\n',
    );
    expect(m.get("a_total")?.help).toBe("Things.");
    expect(promValue(m, "a_total", { k: 'x "q"\\' })).toBe(3);
    expect(promValue(m, "h_bucket", { le: "+Inf" })).toBe(2);
    expect(promValue(m, "h_count")).toBe(2);
  });

  it("refuses malformed text", () => {
    for (const bad of ["a 1\n", "# TYPE a counter\nb 1\n", "# TYPE a counter\na{k=x} 1\n", "# TYPE a counter\na one\n", "# TYPE a counter\n# TYPE a counter\n"]) {
      expect(() => parsePrometheusText(bad)).toThrow(SyntaxError);
    }
  });
});
