import { PacketError } from "@webshocket/protocol";

/**
 * One channel name or several, as a list. Names usually come from clients (join, publish
 * methods passing them on): anything but non-empty strings throws PacketError, which an RPC
 * method's caller gets as INVALID_PARAMS (its fault, logged as one line), not an internal error.
 */
export function channelList(channels: string | Iterable<string>): string[] {
  const list: unknown[] | undefined =
    typeof channels === "string"
      ? [channels]
      : typeof (channels as Partial<Iterable<unknown>> | null | undefined)?.[Symbol.iterator] === "function"
        ? [...channels]
        : undefined;
  if (list === undefined || list.some((c) => typeof c !== "string" || c === "")) {
    throw new PacketError("Channel names must be non-empty strings.");
  }
  return list as string[];
}
