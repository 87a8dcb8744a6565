import { createConnection, createServer, type Server, type Socket } from "node:net";

/** A TCP proxy a test can cut (every connection through it destroyed on both sides) and restore. */
export interface TcpProxy extends AsyncDisposable {
  /** The port to connect to (127.0.0.1). */
  readonly port: number;
  /** Destroys every connection through the proxy, both sides, without a close handshake; new ones wait for restore(). */
  cut(): void;
  /** Connects the connections that waited, and every new one, to the target again. */
  restore(): void;
  /** New connections (and those waiting for restore()) go to this port from now on (another server, e.g. after a node died). */
  retarget(port: number, host?: string): void;
  /** Connections that arrived while cut and wait for restore(). */
  readonly waiting: number;
  close(): Promise<void>;
}

/**
 * Starts a proxy from a free port to `targetPort`. While cut, a client's new connection is accepted
 * but held (its bytes wait) until restore(): a reconnecting client neither fails nor gets through.
 */
export async function startTcpProxy(targetPort: number, targetHost = "127.0.0.1"): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  const held: Socket[] = [];
  let isCut = false;
  let target = { port: targetPort, host: targetHost };

  const forward = (client: Socket): void => {
    const upstream = createConnection(target);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const drop = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  };

  const server: Server = createServer({ pauseOnConnect: true, noDelay: true }, (client) => {
    client.setNoDelay(true);
    if (isCut) {
      held.push(client);
      client.on("error", () => client.destroy());
    } else forward(client);
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy has no port");

  const proxy: TcpProxy = {
    port: address.port,
    get waiting() {
      return held.length;
    },
    cut() {
      isCut = true;
      for (const [a, b] of [...pairs]) {
        a.destroy();
        b.destroy();
      }
      pairs.clear();
    },
    retarget(port: number, host = targetHost) {
      target = { port, host };
    },
    restore() {
      isCut = false;
      for (const client of held.splice(0)) if (!client.destroyed) forward(client);
    },
    async close() {
      proxy.cut();
      for (const client of held.splice(0)) client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    [Symbol.asyncDispose]() {
      return proxy.close();
    },
  };
  return proxy;
}
