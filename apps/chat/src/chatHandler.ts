import { createHash, timingSafeEqual } from "node:crypto";
import { parseDuration } from "@webshocket/protocol";
import { channel, Has, Is, rateLimit, RPCError, RPCErrorCode, rpcMethod, WebSocketHandler, type ClientConnection } from "@webshocket/server";
import type { ChatEvent, ChatMessage, LoginResult, RoomJoined } from "./chatEvents.js";
import { ALL_ROOMS, DEFAULT_ROOMS, MAX_ROOMS, messageText, ROOM_PREFIX, roomName, SEND_LIMIT, userName } from "./chatRules.js";

/** Session state of one chat page (gone when it disconnects). */
export type ChatState = {
  username: string;
  is_admin: boolean;
  /** Rooms joined, to say goodbye in each on disconnect. */
  rooms: string[];
};
type Conn = ClientConnection<ChatState>;

const periodSeconds = parseDuration(SEND_LIMIT.period) / 1000;
const digest = (s: string): Buffer => createHash("sha256").update(s).digest();

/**
 * The chat: sign in (session state), join rooms (channels the page subscribes to itself, declared
 * with `@channel`), talk (publish excluding the sender, rate-limited), and for admins an all-rooms
 * view (the pattern `room.*`), sign-in notices (a broadcast with the predicate `Is("is_admin")`) and
 * announcements to everyone.
 */
export class ChatHandler extends WebSocketHandler<ChatState> {
  readonly #passcode: Buffer;

  /** @param adminPasscode what `login` must be given to make someone an admin. */
  constructor(adminPasscode: string) {
    super();
    this.#passcode = digest(adminPasscode);
  }

  /** `add(a, b)`: the call the plain-JavaScript snippet makes (`/plain.html`). */
  @rpcMethod() add(_c: Conn, a: number, b: number): number {
    return a + b;
  }

  /** Signs in under a free name; with the admin passcode the page also watches every room. */
  @rpcMethod() async login(c: Conn, name: string, passcode: string | null = null): Promise<LoginResult> {
    if (c.state.username !== undefined) throw new RPCError(`Already signed in as ${c.state.username}.`);
    const username = userName(name);
    const admin = passcode !== null; // the page sends null unless "Sign in as admin" is ticked
    if (admin && !timingSafeEqual(digest(String(passcode)), this.#passcode)) throw new RPCError("That is not the admin passcode.");
    const lower = username.toLowerCase();
    if (this.#signedIn().some((o) => o.state.username?.toLowerCase() === lower)) {
      throw new RPCError(`“${username}” is already here — pick another name.`);
    }
    c.state.username = username;
    c.state.is_admin = admin;
    c.state.rooms = [];
    const audit: ChatEvent = { kind: "audit", text: `${username} signed in${admin ? " as admin" : ""}`, at: Date.now() };
    await this.broadcast(audit, { predicate: Is("is_admin"), exclude: c });
    await this.#presence();
    return {
      username,
      is_admin: admin,
      rooms: [...new Set([...DEFAULT_ROOMS, ...this.#activeRooms()])],
      online: this.#signedIn().length,
      sendLimit: { limit: SEND_LIMIT.limit, seconds: periodSeconds },
    };
  }

  /**
   * The rooms, `room.<name>`: a signed-in page subscribes to one itself (`client.subscribe("room.general", …)`)
   * and gets the room's name and members as the initial value; the room hears that it joined. A pattern of
   * rooms (the all-rooms view, `room.*`) is for admins only.
   */
  @channel(ALL_ROOMS, { requires: Has("username") })
  async room(c: Conn, channel: string): Promise<RoomJoined | null> {
    if (/[*?[]/.test(channel)) {
      if (c.state.is_admin !== true) throw new RPCError(`Access denied for channel '${channel}'.`, { rpcCode: RPCErrorCode.ACCESS_DENIED });
      return null;
    }
    const name = channel.slice(ROOM_PREFIX.length);
    if (roomName(name) !== name) throw new RPCError("Room names use a–z, 0–9 and -, up to 24 characters.");
    const rooms = c.state.rooms ?? [];
    if (!rooms.includes(name)) {
      // maxSubscribedChannels leaves one slot more, so this limit (and its message) comes first.
      if (rooms.length >= MAX_ROOMS - (c.state.is_admin ? 1 : 0)) throw new RPCError(`You can be in ${MAX_ROOMS - (c.state.is_admin ? 1 : 0)} rooms at most — leave one first.`);
      rooms.push(name);
      await this.emit(this.room, this.#notice("joined", name, c), { channel, exclude: c });
    }
    return { room: name, members: this.#members(name) };
  }

  /** Leaves a room (the page also ends its subscription): the room hears that the caller left. */
  @rpcMethod({ requires: Has("username") }) async leave(c: Conn, room: string): Promise<void> {
    const name = roomName(room);
    const rooms = c.state.rooms ?? [];
    if (!rooms.includes(name)) return;
    c.unsubscribe(ROOM_PREFIX + name);
    rooms.splice(rooms.indexOf(name), 1);
    await this.publish(ROOM_PREFIX + name, this.#notice("left", name, c));
  }

  /**
   * Says something in a room the caller has joined. Everyone else in the room (and every admin)
   * gets it; the sender renders the returned message itself.
   */
  @rateLimit(SEND_LIMIT)
  @rpcMethod({ requires: Has("username") })
  async send(c: Conn, room: string, text: string): Promise<ChatMessage> {
    const name = roomName(room);
    if (!c.state.rooms?.includes(name)) throw new RPCError(`Join #${name} first.`);
    const message: ChatMessage = { kind: "message", room: name, user: c.state.username ?? "", admin: c.state.is_admin === true, text: messageText(text), at: Date.now() };
    await this.publish(ROOM_PREFIX + name, message, { exclude: c });
    return message;
  }

  /** Admins only: an announcement to everyone connected. */
  @rpcMethod({ requires: Is("is_admin") }) async announce(c: Conn, text: string): Promise<void> {
    const event: ChatEvent = { kind: "announcement", from: c.state.username ?? "admin", text: messageText(text), at: Date.now() };
    await this.broadcast(event);
  }

  override async onDisconnect(c: Conn): Promise<void> {
    const username = c.state.username;
    if (username === undefined) return;
    for (const room of c.state.rooms ?? []) await this.publish(ROOM_PREFIX + room, this.#notice("left", room, c));
    await this.broadcast({ kind: "audit", text: `${username} left`, at: Date.now() } satisfies ChatEvent, { predicate: Is("is_admin") });
    await this.#presence();
  }

  #notice(kind: "joined" | "left", room: string, c: Conn): ChatEvent {
    return { kind, room, user: c.state.username ?? "", at: Date.now() };
  }

  /** Connections that have signed in (the one disconnecting is already gone from `clients`). */
  #signedIn(): Conn[] {
    return [...this.clients].filter((o) => o.state.username !== undefined);
  }

  #members(room: string): string[] {
    return [...(this.channels.get(ROOM_PREFIX + room) ?? [])].map((o) => o.state.username ?? "").filter(Boolean).sort();
  }

  #activeRooms(): string[] {
    return [...this.channels.keys()].filter((ch) => ch.startsWith(ROOM_PREFIX)).map((ch) => ch.slice(ROOM_PREFIX.length));
  }

  #presence(): Promise<void> {
    return this.broadcast({ kind: "presence", online: this.#signedIn().length } satisfies ChatEvent, { predicate: Has("username") });
  }
}
