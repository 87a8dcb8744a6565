import { Type } from "@sinclair/typebox";
import { rpc, rpcMethod, silentLogger, WebSocketHandler, WebSocketServer, type ClientConnection } from "@webshocket/server";

export interface Headline {
  title: string;
}
export interface ChatMessage {
  from: string;
  text: string;
}
/** What FieldHandler's channels carry. */
export type FieldChannels = { "news.*": Headline; chat: ChatMessage };

/** A handler declaring its RPC methods as `rpc()` fields and its push types, for the typed client. */
export class FieldHandler extends WebSocketHandler<{ name?: string }, FieldChannels, { notice: string }> {
  add = rpc((_conn, a: number, b: number) => a + b);
  mul = rpc({ alias: "multiply" }, (_conn, a: number, b: number) => a * b);
  repeat = rpc({ params: [Type.String(), Type.Optional(Type.Integer({ minimum: 1 }))], returns: Type.String() }, (_conn, text, times) =>
    text.repeat(times ?? 2),
  );
  opt = rpc((_conn, a: number, b?: number) => (b === undefined ? [a] : [a, b]));
  countTo = rpc(async function* (_conn, n: number) {
    for (let i = 1; i <= n; i++) yield i;
  });
  whoami = rpc((conn: ClientConnection<{ name?: string }>) => conn.state.name ?? "nobody");
  /** Joins the caller to news.* and chat, then publishes one of each and a broadcast. */
  news = rpc(async (conn) => {
    conn.subscribe(["news.*", "chat"]);
    await this.publish("news.tech", { title: "typed" });
    await this.publish("chat", { from: "bot", text: "hi" });
    await this.broadcast({ notice: "all" });
  });
  /** Publishes one headline to news.tech (for client-side subscriptions). */
  post = rpc(async (_conn, title: string) => {
    await this.publish("news.tech", { title });
  });
  /** Clients may subscribe to news.* themselves. */
  override canSubscribe(_conn: ClientConnection, channel: string): boolean {
    return channel.startsWith("news.");
  }
  /** Public but not an RPC method: not in the typed API, not callable. */
  helper(): number {
    return 1;
  }
  /** An @rpcMethod beside rpc() fields: callable, but outside the typed API (decorators are invisible to types). */
  @rpcMethod() legacy(_conn: ClientConnection): string {
    return "legacy";
  }
}

export async function startFieldServer(): Promise<{ server: WebSocketServer; handler: FieldHandler }> {
  const handler = new FieldHandler();
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, handler, logger: silentLogger });
  await server.start();
  return { server, handler };
}
