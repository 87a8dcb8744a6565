import { BlockList, isIP } from "node:net";

/**
 * Which peers are proxies whose forwarding header is believed: addresses and CIDR ranges (IPv4 and IPv6,
 * e.g. "127.0.0.1", "::1", "10.0.0.0/8", "2001:db8::/32"; IPv4-mapped IPv6 peers such as ::ffff:10.1.2.3 match
 * the IPv4 entries), or a function given the address as text.
 */
export type TrustedProxies = readonly string[] | ((address: string) => boolean);

/** `trustProxy` in full: which proxies, and which header they set. */
export interface TrustProxyOptions {
  /** The proxies' addresses and CIDR ranges, or a function. */
  readonly proxies: TrustedProxies;
  /**
   * The header the proxies write the client's address into: "x-forwarded-for" (nginx's
   * `$proxy_add_x_forwarded_for`, AWS ALB, Cloudflare) or "forwarded" (RFC 7239). Only this one is read: a
   * proxy passes the other through as the client sent it, so reading both would let a client pick its address.
   * Default: "x-forwarded-for".
   */
  readonly header?: "x-forwarded-for" | "forwarded";
}

/** The `trustProxy` server option: a list of proxies (reading X-Forwarded-For), a function, or the full form. */
export type TrustProxy = TrustedProxies | TrustProxyOptions;

/** `trustProxy` checked and compiled once at startup. */
export interface ProxyTrust {
  readonly trusted: (address: string) => boolean;
  readonly header: "x-forwarded-for" | "forwarded";
}

/** Compiles the option; throws a RangeError naming a bad entry (a typo must not silently trust nobody). */
export function compileTrustProxy(option: TrustProxy): ProxyTrust {
  const full: TrustProxyOptions = typeof option === "function" || Array.isArray(option) ? { proxies: option as TrustedProxies } : (option as TrustProxyOptions);
  const header = full.header ?? "x-forwarded-for";
  if (header !== "x-forwarded-for" && header !== "forwarded") throw new RangeError(`WebSocketServer: trustProxy.header must be "x-forwarded-for" or "forwarded", got ${String(header)}.`);
  const proxies = full.proxies;
  if (typeof proxies === "function") {
    return {
      header,
      trusted: (address) => {
        try {
          return proxies(address) === true;
        } catch {
          return false;
        }
      },
    };
  }
  if (!Array.isArray(proxies)) throw new RangeError("WebSocketServer: trustProxy must be a list of addresses/CIDR ranges, a function, or { proxies, header }.");
  const list = new BlockList();
  for (const entry of proxies) addEntry(list, entry);
  return { header, trusted: (address) => isIP(address) !== 0 && list.check(address, isIP(address) === 4 ? "ipv4" : "ipv6") };
}

function addEntry(list: BlockList, entry: unknown): void {
  const bad = (): never => {
    throw new RangeError(`WebSocketServer: trustProxy entry ${JSON.stringify(entry)} is not an IP address or CIDR range (e.g. "10.0.0.0/8", "::1").`);
  };
  if (typeof entry !== "string") return bad();
  const [address = "", bits, extra] = entry.trim().split("/");
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return bad();
  const type = family === 4 ? "ipv4" : "ipv6";
  if (bits === undefined) return list.addAddress(address, type);
  const prefix = /^\d{1,3}$/.test(bits) ? Number(bits) : -1;
  if (prefix < 0 || prefix > (family === 4 ? 32 : 128)) return bad();
  list.addSubnet(address, prefix, type);
}
