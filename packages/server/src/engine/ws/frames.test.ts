import { describe, expect, it } from "vitest";
import * as wsModule from "ws";
import { FrameBatch } from "./frames.js";

/** What `ws`'s own sender writes for one unmasked, uncompressed frame (the general path); a final one by default. */
function wsFrame(payload: Buffer, binary: boolean, opcode = binary ? 2 : 1, fin = true): Buffer {
  // ws exports its Sender at run time; @types/ws does not declare it.
  const { Sender } = wsModule as unknown as { Sender: { frame(data: Buffer, options: object): Buffer[] } };
  const frame = Sender.frame(payload, { fin, rsv1: false, opcode, mask: false, readOnly: true });
  return Buffer.concat(frame);
}

function batchBytes(payloads: readonly Buffer[], binary: boolean): Buffer {
  const batch = new FrameBatch();
  for (const p of payloads) batch.add(p, binary);
  const out: Buffer[] = [];
  let done = 0;
  batch.flush(
    (chunk, cb) => {
      out.push(chunk);
      cb?.();
    },
    () => done++,
  );
  expect(done).toBe(1);
  expect(batch.bytes).toBe(0);
  return Buffer.concat(out);
}

describe("FrameBatch (frames written by hand) against ws's sender", () => {
  // Every length class and its edges: 7-bit, 16-bit, 64-bit lengths.
  const lengths = [0, 1, 125, 126, 127, 65535, 65536, 70000];

  it.each(lengths)("frames a %d-byte payload as ws does, text and binary", (n) => {
    const payload = Buffer.alloc(n, 0x61 + (n % 26));
    for (const binary of [true, false]) expect(batchBytes([payload], binary).equals(wsFrame(payload, binary))).toBe(true);
  });

  it("writes a batch as the frames one after another (one write while small, part by part when large)", () => {
    let seed = 7;
    const rand = (m: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % m);
    for (let round = 0; round < 50; round++) {
      const payloads = Array.from({ length: 1 + rand(40) }, () => Buffer.from(Array.from({ length: rand(round % 5 === 0 ? 40_000 : 300) }, () => rand(256))));
      const expected = Buffer.concat(payloads.map((p) => wsFrame(p, true)));
      expect(batchBytes(payloads, true).equals(expected)).toBe(true);
    }
  });

  it("frames a view into a larger buffer without what lies around it", () => {
    const slab = Buffer.from("xxxxHELLOyyyy");
    const view = new Uint8Array(slab.buffer, slab.byteOffset + 4, 5);
    expect(batchBytes([Buffer.from(view)], false).equals(wsFrame(Buffer.from("HELLO"), false))).toBe(true);
    const batch = new FrameBatch();
    batch.add(view, false);
    let chunk: Buffer = Buffer.alloc(0);
    batch.flush((c) => (chunk = c), () => {});
    expect(chunk.equals(wsFrame(Buffer.from("HELLO"), false))).toBe(true);
  });

  it("frames the fragments of a message as ws does (first with the opcode, continuations, FIN on the last)", () => {
    let seed = 11;
    const rand = (m: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % m);
    for (let round = 0; round < 30; round++) {
      const binary = round % 2 === 0;
      const message = Buffer.from(Array.from({ length: 1 + rand(round % 3 === 0 ? 200_000 : 2000) }, () => rand(256)));
      const chunk = 1 + rand(round % 3 === 0 ? 70_000 : 300);
      const parts: Buffer[] = [];
      for (let at = 0; at < message.length; at += chunk) parts.push(message.subarray(at, at + chunk));
      const batch = new FrameBatch();
      const expected: Buffer[] = [];
      parts.forEach((part, i) => {
        const opcode = i === 0 ? (binary ? 2 : 1) : 0;
        const fin = i === parts.length - 1;
        batch.addFragment(part, opcode, fin);
        expected.push(wsFrame(part, binary, opcode, fin));
      });
      const out: Buffer[] = [];
      batch.flush((c) => out.push(c), () => {});
      expect(Buffer.concat(out).equals(Buffer.concat(expected))).toBe(true);
    }
  });

  it("writes a large fragment's payload as the view it was given (no copy)", () => {
    const message = Buffer.alloc(200_000, 7);
    const batch = new FrameBatch();
    batch.addFragment(message.subarray(0, 100_000), 2, false);
    batch.addFragment(message.subarray(100_000), 0, true);
    const out: Buffer[] = [];
    batch.flush((c) => out.push(c), () => {});
    const payloads = out.filter((c) => c.length === 100_000);
    expect(payloads.length).toBe(2);
    for (const p of payloads) expect(p.buffer).toBe(message.buffer);
  });
});
