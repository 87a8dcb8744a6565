/** A chat message, as published to a room and returned to its sender. */
export interface ChatMessage {
  kind: "message";
  /** Room name without the channel prefix, e.g. `general`. */
  room: string;
  user: string;
  /** True when the sender is an admin (the page shows a badge). */
  admin: boolean;
  text: string;
  /** Server time, ms since the epoch. */
  at: number;
}

/** Someone entered or left a room (published to the room, excluding that person). */
export interface RoomNotice {
  kind: "joined" | "left";
  room: string;
  user: string;
  at: number;
}

/** An admin's announcement, broadcast to everyone. */
export interface Announcement {
  kind: "announcement";
  from: string;
  text: string;
  at: number;
}

/** How many people are signed in, broadcast when it changes. */
export interface Presence {
  kind: "presence";
  online: number;
}

/** Sign-ins and sign-outs, broadcast only to admins (predicate `Is("is_admin")`). */
export interface AuditNotice {
  kind: "audit";
  text: string;
  at: number;
}

/** Everything the server pushes to a chat page. */
export type ChatEvent = ChatMessage | RoomNotice | Announcement | Presence | AuditNotice;

/** What `login` answers. */
export interface LoginResult {
  username: string;
  is_admin: boolean;
  /** Rooms to offer in the sidebar. */
  rooms: string[];
  online: number;
  /** The limit on `send`, for the page's "slow down" message. */
  sendLimit: { limit: number; seconds: number };
}

/** The initial value of a room subscription (`client.subscribe("room.<name>")`). */
export interface RoomJoined {
  room: string;
  /** Who is in the room, the new subscriber included, sorted. */
  members: string[];
}
