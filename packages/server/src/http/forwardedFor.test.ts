import { describe, expect, it } from "vitest";
import { clientAddress, forwardedHops, MAX_FORWARDED_HOPS, MAX_FORWARDED_LENGTH, nodeAddress } from "./forwardedFor.js";
import { compileTrustProxy } from "./trustProxy.js";

const xff = compileTrustProxy(["127.0.0.1", "10.0.0.0/8", "::1", "2001:db8:ffff::/48"]);
const fwd = compileTrustProxy({ proxies: ["127.0.0.1", "10.0.0.0/8", "::1"], header: "forwarded" });

describe("compileTrustProxy", () => {
  it("matches addresses and CIDR ranges, IPv4-mapped IPv6 peers against IPv4 entries", () => {
    expect(xff.trusted("127.0.0.1")).toBe(true);
    expect(xff.trusted("127.0.0.2")).toBe(false);
    expect(xff.trusted("10.200.3.4")).toBe(true);
    expect(xff.trusted("::ffff:10.1.2.3")).toBe(true);
    expect(xff.trusted("::1")).toBe(true);
    expect(xff.trusted("2001:db8:ffff:1::9")).toBe(true);
    expect(xff.trusted("2001:db8:fffe::9")).toBe(false);
    expect(xff.trusted("garbage")).toBe(false);
    expect(xff.trusted("")).toBe(false);
  });

  it("refuses entries that are not addresses or ranges", () => {
    for (const bad of ["localhost", "10.0.0.0/33", "::1/129", "10.0.0.0/8/8", "1.2.3.4/x", ""]) {
      expect(() => compileTrustProxy([bad])).toThrow(RangeError);
    }
    expect(() => compileTrustProxy({ proxies: [], header: "x-real-ip" as "forwarded" })).toThrow(RangeError);
  });

  it("takes a function, and a throwing function trusts nobody", () => {
    expect(compileTrustProxy((a) => a.startsWith("192.168.")).trusted("192.168.1.1")).toBe(true);
    expect(
      compileTrustProxy(() => {
        throw new Error("boom");
      }).trusted("192.168.1.1"),
    ).toBe(false);
  });
});

describe("clientAddress with X-Forwarded-For", () => {
  const from = (peer: string, value?: string): string => clientAddress(xff, peer, value === undefined ? {} : { "x-forwarded-for": value });

  it("ignores the header from an untrusted peer", () => {
    expect(from("203.0.113.9", "198.51.100.1")).toBe("203.0.113.9");
  });

  it("takes the rightmost untrusted address, walking past trusted proxies", () => {
    expect(from("127.0.0.1", "198.51.100.1")).toBe("198.51.100.1");
    expect(from("127.0.0.1", "6.6.6.6, 198.51.100.1, 10.0.0.5")).toBe("198.51.100.1");
    expect(from("::ffff:127.0.0.1", "198.51.100.1")).toBe("198.51.100.1");
    expect(from("::1", "2001:db8::7, ::1")).toBe("2001:db8::7");
  });

  it("reads ports, brackets and IPv4-mapped hops", () => {
    expect(from("127.0.0.1", "198.51.100.1:4711")).toBe("198.51.100.1");
    expect(from("127.0.0.1", "[2001:DB8::1]:4711")).toBe("2001:db8::1");
    expect(from("127.0.0.1", "::ffff:198.51.100.1")).toBe("198.51.100.1");
  });

  it("returns the leftmost hop when every hop is trusted", () => {
    expect(from("127.0.0.1", "10.0.0.1, 10.0.0.2")).toBe("10.0.0.1");
  });

  it("falls back to the proxy that reported a hop that is not an address", () => {
    expect(from("127.0.0.1")).toBe("127.0.0.1");
    expect(from("127.0.0.1", "")).toBe("127.0.0.1");
    expect(from("127.0.0.1", "unknown")).toBe("127.0.0.1");
    expect(from("127.0.0.1", "garbage, 10.0.0.3")).toBe("10.0.0.3");
    expect(from("127.0.0.1", "1.2.3.4, <script>")).toBe("127.0.0.1");
    expect(from("127.0.0.1", "999.1.1.1")).toBe("127.0.0.1");
    expect(from("127.0.0.1", "1.2.3.4:99999999")).toBe("127.0.0.1");
    expect(from("127.0.0.1", "[::1")).toBe("127.0.0.1");
    expect(from("127.0.0.1", "[1.2.3.4]")).toBe("127.0.0.1");
  });

  it("stops at untrusted hops however long the client-written part is", () => {
    const spoofed = Array.from({ length: 2000 }, (_, i) => `10.0.${i % 250}.1`).join(",");
    expect(from("127.0.0.1", `${spoofed}, 198.51.100.1`.slice(-MAX_FORWARDED_LENGTH))).toBe("198.51.100.1");
  });

  it("ignores headers over the length limit and walks at most MAX_FORWARDED_HOPS hops", () => {
    expect(from("127.0.0.1", `198.51.100.1,${" ".repeat(MAX_FORWARDED_LENGTH)}`)).toBe("127.0.0.1");
    const trustedChain = Array.from({ length: MAX_FORWARDED_HOPS + 5 }, (_, i) => `10.0.0.${i + 1}`).join(",");
    expect(from("127.0.0.1", `198.51.100.1,${trustedChain}`)).toBe("10.0.0.6");
  });

  it("never throws on random bytes", () => {
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 2000; n++) {
      const value = String.fromCharCode(...Array.from({ length: next() % 80 }, () => next() % 128));
      const address = from("10.0.0.1", value);
      expect(typeof address).toBe("string");
      expect(clientAddress(fwd, "10.0.0.1", { forwarded: value })).toBeTypeOf("string");
    }
  });
});

describe("clientAddress with Forwarded (RFC 7239)", () => {
  const from = (peer: string, value: string): string => clientAddress(fwd, peer, { forwarded: value, "x-forwarded-for": "6.6.6.6" });

  it("reads for= of the elements, right to left, and only the configured header", () => {
    expect(from("127.0.0.1", "for=192.0.2.60;proto=http;by=203.0.113.43")).toBe("192.0.2.60");
    expect(from("127.0.0.1", "for=192.0.2.43, for=198.51.100.17")).toBe("198.51.100.17");
    expect(from("127.0.0.1", "for=192.0.2.43, For=10.0.0.9")).toBe("192.0.2.43");
    expect(from("203.0.113.1", "for=192.0.2.43")).toBe("203.0.113.1");
  });

  it("reads quoted IPv6 with a port and quoted IPv4", () => {
    expect(from("127.0.0.1", 'For="[2001:db8:cafe::17]:4711"')).toBe("2001:db8:cafe::17");
    expect(from("127.0.0.1", 'for="192.0.2.60:8080";proto=https')).toBe("192.0.2.60");
    expect(from("127.0.0.1", 'for="\\[2001:db8::1\\]"')).toBe("2001:db8::1");
  });

  it("ends at the reporting proxy for unknown, obfuscated and missing for=", () => {
    expect(from("127.0.0.1", "for=unknown")).toBe("127.0.0.1");
    expect(from("127.0.0.1", "for=_hidden, for=10.0.0.4")).toBe("10.0.0.4");
    expect(from("127.0.0.1", 'for="_gazonk"')).toBe("127.0.0.1");
    expect(from("127.0.0.1", "proto=https")).toBe("127.0.0.1");
  });

  it("ignores a header that does not parse", () => {
    for (const bad of ['for="192.0.2.1', "for", "for=1.2.3.4 x", "=1.2.3.4", 'for="\\', "for=1.2.3.4,,;=", "f o r=1.2.3.4"]) {
      expect(from("127.0.0.1", bad)).toBe("127.0.0.1");
    }
  });
});

describe("forwardedHops and nodeAddress", () => {
  it("splits elements outside quoted strings only", () => {
    expect(forwardedHops('for="a,b;c", for=d;by=e,proto=x')).toEqual(["a,b;c", "d", undefined]);
    expect(forwardedHops("")).toEqual([undefined]);
  });

  it("normalises addresses", () => {
    expect(nodeAddress(" 192.0.2.1 ")).toBe("192.0.2.1");
    expect(nodeAddress("::FFFF:192.0.2.1")).toBe("192.0.2.1");
    expect(nodeAddress("[::ffff:192.0.2.1]:80")).toBe("192.0.2.1");
    expect(nodeAddress("2001:db8::1:80")).toBe("2001:db8::1:80");
    expect(nodeAddress("a".repeat(100))).toBeUndefined();
  });
});
