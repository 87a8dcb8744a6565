import { isIP } from "node:net";
import { plainAddress } from "../engine/engine.js";
import type { ProxyTrust } from "./trustProxy.js";

/** Longest forwarding header read (longer: ignored, the peer address is used). Engines cap headers lower anyway. */
export const MAX_FORWARDED_LENGTH = 8192;
/** Hops read from the right end of a forwarding header; hops further left are never reached. */
export const MAX_FORWARDED_HOPS = 32;

/**
 * The client's address behind trusted proxies. Only when the peer is a trusted proxy is its header read: from
 * the right (the hop the peer itself appended) leftwards, past hops that are trusted proxies too, to the first
 * untrusted address — the client as the outermost trusted proxy saw it. Everything left of that was written by
 * the client and is never believed. A hop that is not an IP address (RFC 7239's "unknown" or an obfuscated
 * "_name", a missing `for=`, garbage) ends the walk at the proxy that reported it; a header that cannot be
 * parsed, or is longer than MAX_FORWARDED_LENGTH, is ignored. When every hop is trusted, the leftmost one wins.
 * Never throws.
 */
export function clientAddress(trust: ProxyTrust, peer: string, headers: Readonly<Record<string, string>>): string {
  if (!trust.trusted(peer)) return peer;
  const value = headers[trust.header];
  if (value === undefined || value.length > MAX_FORWARDED_LENGTH) return peer;
  const hops = trust.header === "forwarded" ? forwardedHops(value) : value.split(",");
  if (hops === undefined) return peer;
  let address = peer;
  const last = Math.max(0, hops.length - MAX_FORWARDED_HOPS);
  for (let i = hops.length - 1; i >= last; i--) {
    const hop = nodeAddress(hops[i]);
    if (hop === undefined) return address;
    address = hop;
    if (!trust.trusted(hop)) return hop;
  }
  return address;
}

/**
 * An IP address out of one hop: "192.0.2.1", "192.0.2.1:4711", "2001:db8::1", "[2001:db8::1]:4711";
 * IPv4-mapped IPv6 as plain IPv4. Undefined for anything else ("unknown", "_hidden", garbage, absent).
 */
export function nodeAddress(hop: string | undefined): string | undefined {
  if (hop === undefined) return undefined;
  const text = hop.trim();
  if (text.length > 64) return undefined;
  if (isIP(text) !== 0) return normal(text);
  if (text.startsWith("[")) {
    const end = text.indexOf("]");
    const inner = text.slice(1, end);
    const rest = text.slice(end + 1);
    return end > 0 && isIP(inner) === 6 && (rest === "" || /^:\d{1,5}$/.test(rest)) ? normal(inner) : undefined;
  }
  const port = /^([\d.]+):\d{1,5}$/.exec(text);
  return port?.[1] !== undefined && isIP(port[1]) === 4 ? port[1] : undefined;
}

function normal(address: string): string {
  return plainAddress(address.toLowerCase());
}

/**
 * The `for=` value of each element of an RFC 7239 Forwarded header, in order (undefined where an element has
 * none); undefined when the header does not parse (a bad token, an unterminated quoted string).
 */
export function forwardedHops(value: string): (string | undefined)[] | undefined {
  const hops: (string | undefined)[] = [];
  let hop: string | undefined;
  let i = 0;
  const n = value.length;
  const skipSpace = (): void => {
    while (i < n && (value[i] === " " || value[i] === "\t")) i++;
  };
  for (;;) {
    skipSpace();
    // An empty element (",," or a trailing ",") is allowed by the list syntax.
    if (i < n && value[i] !== "," && value[i] !== ";") {
      const name = token(value, i);
      if (name === "" || value[i + name.length] !== "=") return undefined;
      i += name.length + 1;
      let pairValue: string;
      if (value[i] === '"') {
        const quoted = quotedString(value, i);
        if (quoted === undefined) return undefined;
        pairValue = quoted.text;
        i = quoted.end;
      } else {
        pairValue = token(value, i);
        i += pairValue.length;
      }
      if (name.toLowerCase() === "for") hop = pairValue;
      skipSpace();
    }
    if (i >= n) break;
    if (value[i] === ";") {
      i++;
      continue;
    }
    if (value[i] !== ",") return undefined;
    hops.push(hop);
    hop = undefined;
    i++;
  }
  hops.push(hop);
  return hops;
}

/** RFC 7230 tchar run starting at `from`. */
function token(value: string, from: number): string {
  let end = from;
  while (end < value.length && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(value[end] ?? "")) end++;
  return value.slice(from, end);
}

/** The text of the quoted-string opening at `from` (escapes undone) and the index after its closing quote. */
function quotedString(value: string, from: number): { text: string; end: number } | undefined {
  let text = "";
  for (let i = from + 1; i < value.length; i++) {
    const c = value[i];
    if (c === '"') return { text, end: i + 1 };
    if (c === "\\") {
      i++;
      if (i >= value.length) return undefined;
      text += value[i];
    } else {
      text += c;
    }
  }
  return undefined;
}
