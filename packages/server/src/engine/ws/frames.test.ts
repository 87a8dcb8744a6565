import { describe, expect, it } from "vitest";
import * as wsModule from "ws";
import { FrameBatch } from "./frames.js";

/** What `ws`'s own sender writes for one unmasked, uncompressed, final frame (the general path). */
function wsFrame(payload: Buffer, binary: boolean): Buffer {
  // ws exports its Sender at run time; @types/ws does not declare it.
  const { Sender } = wsModule as unknown as { Sender: { frame(data: Buffer, options: object): Buffer[] } };
  const frame = Sender.frame(payload, {
    fin: true,
    rsv1: false,
    opcode: binary ? 2 : 1,
    mask: false,
    readOnly: true,
  });
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
});
