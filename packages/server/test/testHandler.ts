import { Type } from "@sinclair/typebox";
import { Is, IsEqual, All, Has, rateLimit } from "@webshocket/guards";
import { RPCError, type Packet } from "@webshocket/protocol";
import { rpcMethod, WebSocketHandler, type ClientConnection } from "../src/index.js";

export type TestState = {
  username: string;
  role: string | null;
  is_admin: boolean;
  team: string;
};
type Conn = ClientConnection<TestState>;

/** A handler exercising every server feature; it records what happened for assertions. */
export class TestHandler extends WebSocketHandler<TestState> {
  readonly connected: string[] = [];
  readonly disconnected: Array<{ uid: string; state: Partial<TestState> }> = [];
  readonly received: Packet[] = [];
  readonly errors: unknown[] = [];
  readonly streamEvents: string[] = [];
  pulls = 0;
  release: (() => void) | undefined;

  override onConnect(conn: Conn): void {
    this.connected.push(conn.uid);
  }
  override onDisconnect(conn: Conn): void {
    this.disconnected.push({ uid: conn.uid, state: { ...conn.state } });
  }
  override onReceive(conn: Conn, packet: Packet): void {
    this.received.push(packet);
    conn.send({ echo: packet.data, source: packet.source });
  }
  override onError(error: unknown): void {
    this.errors.push(error);
  }

  @rpcMethod() add(_c: Conn, a: number, b: number): number {
    return a + b;
  }
  @rpcMethod({ alias: "multiply" }) mul(_c: Conn, a: number, b: number): number {
    return a * b;
  }
  @rpcMethod() async echo(_c: Conn, value: unknown): Promise<unknown> {
    return value;
  }
  @rpcMethod() greet(_c: Conn, name: string, greeting = "Hello"): string {
    return `${greeting}, ${name}!`;
  }
  @rpcMethod({ params: { a: Type.Number(), b: Type.Number() } }) strictAdd(_c: Conn, a: number, b: number): number {
    return a + b;
  }
  @rpcMethod() async slow(_c: Conn, id: string): Promise<string> {
    await new Promise<void>((resolve) => (this.release = resolve));
    return id;
  }
  @rpcMethod() fail(_c: Conn, message: string): never {
    throw new RPCError(message);
  }
  @rpcMethod() crash(): never {
    throw new Error("secret internal detail");
  }
  internal(): string {
    return "not exposed";
  }
  @rpcMethod() async *count_to(_c: Conn, n: number): AsyncGenerator<number> {
    for (let i = 1; i <= n; i++) yield i;
  }
  /** Values `tally` has produced (pulled from its generator). */
  produced = 0;
  @rpcMethod() async *tally(_c: Conn, n: number): AsyncGenerator<number> {
    this.streamEvents.push("tally-start");
    try {
      for (let i = 1; i <= n; i++) {
        this.produced++;
        yield i;
      }
    } finally {
      this.streamEvents.push("tally-finally");
    }
  }
  @rpcMethod() async *forever(_c: Conn): AsyncGenerator<number> {
    this.streamEvents.push("start");
    try {
      for (let i = 0; ; i++) {
        yield i;
        await new Promise((r) => setTimeout(r, 1));
      }
    } finally {
      this.streamEvents.push("finally");
    }
  }
  @rpcMethod() async *big(_c: Conn, n: number, size: number): AsyncGenerator<string> {
    const chunk = "x".repeat(size);
    for (let i = 0; i < n; i++) {
      this.pulls++;
      yield chunk;
    }
    this.streamEvents.push("big-done");
  }
  @rpcMethod() async *failing(_c: Conn): AsyncGenerator<number> {
    yield 1;
    throw new RPCError("stream broke");
  }
  @rpcMethod() login(c: Conn, username: string, role: string | null = null, is_admin = false): string {
    c.state.username = username;
    c.state.role = role;
    c.state.is_admin = is_admin;
    return `Logged in as ${username}`;
  }
  @rpcMethod() whoami(c: Conn): string | null {
    return c.state.username ?? null;
  }
  @rpcMethod() setTeam(c: Conn, team: string): void {
    c.state.team = team;
  }
  @rpcMethod() join(c: Conn, channel: string | string[]): boolean {
    return c.subscribe(channel);
  }
  @rpcMethod() leave(c: Conn, channel: string): void {
    c.unsubscribe(channel);
  }
  @rpcMethod() publishTo(c: Conn, channel: string | string[], data: unknown, mode = "all"): void {
    const options =
      mode === "exclude-me" ? { exclude: c } : mode === "red" ? { predicate: IsEqual("team", "red") } : mode === "fn" ? { predicate: (x: Conn) => x.state.team === "blue" } : {};
    void this.publish(channel, data, options);
  }
  /** Publishes each [channel, data, mode] in turn, in one go. */
  @rpcMethod() publishSequence(c: Conn, items: Array<[string, unknown, string?]>): void {
    for (const [channel, data, mode] of items) this.publishTo(c, channel, data, mode);
  }
  @rpcMethod() shout(c: Conn, data: unknown, mode = "all"): void {
    const options = mode === "admins" ? { predicate: Is("is_admin") } : mode === "exclude-me" ? { exclude: [c] } : {};
    void this.broadcast(data, options);
  }
  @rpcMethod({ requires: Is("is_admin") }) admin_action(): string {
    return "Secret data";
  }
  @rpcMethod({ requires: All(Has("username"), IsEqual("role", "editor")) }) edit(_c: Conn, docId: string): string {
    return `Editing ${docId}`;
  }
  @rateLimit({ limit: 3, period: "1m" })
  @rpcMethod()
  limited(): string {
    return "ok";
  }
  @rpcMethod()
  @rateLimit({ limit: 2, period: "1m", disconnectOnLimitExceeded: true })
  limited_disconnect(): string {
    return "ok";
  }
}
