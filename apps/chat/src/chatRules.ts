import { RPCError } from "@webshocket/server";

/** Channel prefix of rooms: room `general` is channel `room.general`, so admins watch every room with `room.*`. */
export const ROOM_PREFIX = "room.";
/** The pattern an admin subscribes to for the all-rooms view. */
export const ALL_ROOMS = `${ROOM_PREFIX}*`;
/** Rooms every page offers. */
export const DEFAULT_ROOMS: readonly string[] = ["general", "random", "help"];
/** `@rateLimit` of `send`. */
export const SEND_LIMIT = { limit: 5, period: "10s" } as const;
/** Rooms (plus the admin pattern) one connection may hold. */
export const MAX_ROOMS = 8;
/** Longest message, in characters. */
export const MAX_TEXT = 500;

const NAME = /^[\p{L}\p{N}][\p{L}\p{N} _.-]{0,23}$/u;
const ROOM = /^[a-z0-9][a-z0-9-]{0,23}$/;

/** A trimmed user name of 1–24 letters, digits, spaces, `_`, `.` or `-`; throws an RPCError the page shows. */
export function userName(value: unknown): string {
  const name = typeof value === "string" ? value.trim() : "";
  if (!NAME.test(name)) throw new RPCError("Pick a name of 1–24 letters or digits (spaces, _ . - allowed).");
  return name;
}

/**
 * A room name: lowercase letters, digits and `-`, up to 24 characters. Glob characters can never pass,
 * so only admins (who get `room.*` at login) watch every room.
 */
export function roomName(value: unknown): string {
  const room = typeof value === "string" ? value.trim().toLowerCase().replace(/^#/, "") : "";
  if (!ROOM.test(room)) throw new RPCError("Room names use a–z, 0–9 and -, up to 24 characters.");
  return room;
}

/** A trimmed, non-empty message of at most {@link MAX_TEXT} characters. */
export function messageText(value: unknown): string {
  const text = typeof value === "string" ? value.trim() : "";
  if (text === "") throw new RPCError("Say something first.");
  if (text.length > MAX_TEXT) throw new RPCError(`Messages are limited to ${MAX_TEXT} characters.`);
  return text;
}
