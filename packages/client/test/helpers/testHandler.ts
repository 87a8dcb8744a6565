import { rateLimit } from "@webshocket/guards";
import { rpcMethod, silentLogger, WebSocketHandler, WebSocketServer, type ClientConnection, type Packet } from "@webshocket/server";

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The handler every integration test talks to. */
export class TestHandler extends WebSocketHandler {
  /** Names of streams whose generator `finally` block ran. */
  readonly finalized: string[] = [];
  /** Streams that started. */
  readonly started: string[] = [];
  /** Values `tally` has produced (pulled from its generator). */
  produced = 0;

  /** Counts to `n`, counting what it produced. */
  @rpcMethod()
  async *tally(_conn: ClientConnection, n: number) {
    for (let i = 1; i <= n; i++) {
      this.produced++;
      yield i;
    }
  }

  @rpcMethod()
  async add(_conn: ClientConnection, a: number, b: number) {
    return a + b;
  }

  @rpcMethod({ alias: "multiply" })
  async mul(_conn: ClientConnection, a: number, b: number) {
    return a * b;
  }

  @rpcMethod()
  greet(_conn: ClientConnection, name: string, punctuation = "!") {
    return `Hello, ${name}${punctuation}`;
  }

  @rpcMethod()
  async *count_to(_conn: ClientConnection, n: number, delayMs = 0) {
    for (let i = 1; i <= n; i++) {
      yield i;
      if (delayMs > 0) await delay(delayMs);
    }
  }

  /** Streams until cancelled; records its start and its `finally`. */
  @rpcMethod()
  async *ticker(_conn: ClientConnection, tag: string) {
    this.started.push(tag);
    try {
      for (let i = 0; ; i++) {
        yield i;
        await delay(5);
      }
    } finally {
      this.finalized.push(tag);
    }
  }

  @rpcMethod()
  async *failing_stream(_conn: ClientConnection) {
    yield "first";
    throw new Error("hidden internal detail");
  }

  /** Never answers. */
  @rpcMethod()
  never(_conn: ClientConnection): Promise<never> {
    return new Promise<never>(() => {});
  }

  /** Closes the caller's connection without answering. */
  @rpcMethod()
  hang_up(conn: ClientConnection): Promise<never> {
    setTimeout(() => conn.close(4000, "bye"), 0);
    return new Promise<never>(() => {});
  }

  @rpcMethod()
  join(conn: ClientConnection, room: string) {
    return conn.subscribe(room);
  }

  @rpcMethod()
  async say(_conn: ClientConnection, room: string, text: string) {
    await this.publish(room, text);
  }

  @rpcMethod()
  async shout(_conn: ClientConnection, text: string) {
    await this.broadcast(text);
  }

  @rateLimit({ limit: 1, period: "1m" })
  @rpcMethod()
  limited(_conn: ClientConnection) {
    return "ok";
  }

  @rateLimit({ limit: 1, period: "1m" })
  @rpcMethod()
  async *limited_stream(_conn: ClientConnection) {
    yield 1;
  }

  /** Echoes CUSTOM packets back, so send()/recv() can be tested. */
  override onReceive(conn: ClientConnection, packet: Packet) {
    conn.send({ echo: packet.data });
  }
}

/** Starts a server with a fresh TestHandler on a free port. */
export async function startServer(port = 0): Promise<{ server: WebSocketServer; handler: TestHandler }> {
  const handler = new TestHandler();
  // closeGracePeriod: `never()` calls never settle; do not wait 5 s for them on close.
  const server = new WebSocketServer({ host: "127.0.0.1", port, handler, logger: silentLogger, closeGracePeriod: 50 });
  await server.start();
  return { server, handler };
}
