import { afterEach, describe, expect, it, vi } from "vitest";
import { randomId } from "./ids.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const realCrypto = globalThis.crypto;

/** A crypto object with a chosen getRandomValues (and no randomUUID, as outside a secure context). */
function cryptoWithout(fill: (bytes: Uint8Array) => void): typeof globalThis.crypto {
  return {
    getRandomValues: <T extends ArrayBufferView | null>(array: T): T => {
      fill(array as unknown as Uint8Array);
      return array;
    },
  } as unknown as typeof globalThis.crypto;
}

describe("randomId", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("returns distinct v4 UUIDs", () => {
    const ids = Array.from({ length: 1000 }, randomId);
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("stays unique across refills of its random pool (600 ids: three pools)", () => {
    const ids = Array.from({ length: 600 }, randomId);
    expect(new Set(ids).size).toBe(600);
  });

  it("draws from getRandomValues and sets the version and variant bits", () => {
    vi.stubGlobal("crypto", cryptoWithout((b) => b.fill(0xff)));
    expect(randomId()).toBe("ffffffff-ffff-4fff-bfff-ffffffffffff");
    vi.stubGlobal("crypto", cryptoWithout((b) => b.fill(0x00)));
    expect(randomId()).toBe("00000000-0000-4000-8000-000000000000");
    vi.stubGlobal("crypto", cryptoWithout((b) => b.forEach((_, i) => (b[i] = i * 17))));
    expect(randomId()).toBe("00112233-4455-4677-8899-aabbccddeeff");
  });

  it("ids from a crypto without randomUUID are v4 UUIDs from real randomness", () => {
    vi.stubGlobal("crypto", cryptoWithout((b) => realCrypto.getRandomValues(b)));
    const ids = Array.from({ length: 200 }, randomId);
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
