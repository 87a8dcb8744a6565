import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { asyncApiErrors } from "@webshocket/test-utils/asyncapi";
import { describe, expect, it } from "vitest";
import { referenceDocument } from "../src/referenceDocument.js";

describe("the reference server's AsyncAPI document", () => {
  it("validates against the AsyncAPI 3.0.0 JSON Schema and lists every method of the README", () => {
    const doc = referenceDocument() as { operations: Record<string, { "x-webshocket-method"?: string }> };
    expect(asyncApiErrors(doc)).toEqual([]);
    const methods = Object.values(doc.operations).flatMap((o) => o["x-webshocket-method"] ?? []);
    for (const name of ["add", "multiply", "echo", "count_to", "login", "whoami", "join", "leave", "publish", "broadcast", "admin_action", "edit", "limited", "fail"]) {
      expect(methods).toContain(name);
    }
    expect(methods).not.toContain("mul");
    expect(methods).not.toContain("internal");
  });

  it("is what the CLI prints", async () => {
    const cli = fileURLToPath(new URL("../dist/asyncapi.js", import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [cli, "example.test:443"]);
    expect(JSON.parse(stdout)).toEqual(referenceDocument("example.test:443"));
  });
});
