import { All, Has, Is, IsEqual, rateLimit } from "@webshocket/guards";
import { RPCError, type Packet } from "@webshocket/protocol";
// `channel` imported under another name: esbuild would rename the `channel` parameters below (kwargs names).
import { channel as declareChannel, rpcMethod, WebSocketHandler, type ClientConnection } from "@webshocket/server";

/** Session state of a reference-server connection. */
export type ReferenceState = {
  username: string;
  role: string | null;
  is_admin: boolean;
};
type Conn = ClientConnection<ReferenceState>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The reference handler: exactly the methods listed in this app's README, which
 * client bindings in any language test themselves against.
 */
export class ReferenceHandler extends WebSocketHandler<ReferenceState> {
  @rpcMethod() add(_c: Conn, a: number, b: number): number {
    return a + b;
  }

  @rpcMethod({ alias: "multiply" }) mul(_c: Conn, a: number, b: number): number {
    return a * b;
  }

  @rpcMethod() echo(_c: Conn, value: unknown): unknown {
    return value;
  }

  @rpcMethod() async *count_to(_c: Conn, n: number, delay_ms = 0): AsyncGenerator<number> {
    for (let i = 1; i <= n; i++) {
      yield i;
      if (delay_ms > 0) await sleep(delay_ms);
    }
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

  @rpcMethod() join(c: Conn, channel: string): boolean {
    return c.subscribe(channel);
  }

  @rpcMethod() leave(c: Conn, channel: string): void {
    c.unsubscribe(channel);
  }

  /** `$subscribe` (client subscriptions): anyone may subscribe to `public.*`; the initial value names the channel. */
  @declareChannel("public.*") public_channel(_c: Conn, name: string): { channel: string } {
    return { channel: name };
  }

  /** `$subscribe` to `members.*` once logged in (initial value null); every other name is refused. */
  @declareChannel("members.*", { requires: Has("username") }) members_channel(): null {
    return null;
  }

  @rpcMethod({ alias: "publish" }) async publishToChannel(c: Conn, channel: string, data: unknown): Promise<void> {
    await this.publish(channel, data, { exclude: c });
  }

  @rpcMethod({ alias: "broadcast" }) async broadcastToAll(_c: Conn, data: unknown, admins_only = false): Promise<void> {
    await this.broadcast(data, admins_only ? { predicate: Is("is_admin") } : {});
  }

  @rpcMethod({ requires: Is("is_admin") }) admin_action(): string {
    return "Secret data";
  }

  @rpcMethod({ requires: All(Has("username"), IsEqual("role", "editor")) }) edit(_c: Conn, doc_id: string): string {
    return `Editing ${doc_id}`;
  }

  @rateLimit({ limit: 3, period: "1s" })
  @rpcMethod()
  limited(): string {
    return "ok";
  }

  @rateLimit({ limit: 2, period: "10s", disconnectOnLimitExceeded: true })
  @rpcMethod()
  limited_disconnect(): string {
    return "ok";
  }

  @rpcMethod() fail(_c: Conn, message: string): never {
    throw new RPCError(message);
  }

  @rpcMethod() crash(): never {
    throw new Error("crash() was called");
  }

  /** Not an RPC method: clients must not be able to call it. */
  internal(): string {
    return "internal";
  }

  override onReceive(c: Conn, packet: Packet): void {
    c.send({ echo: packet.data, source: packet.source });
  }
}
