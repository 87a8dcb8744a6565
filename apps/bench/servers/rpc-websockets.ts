/** rpc-websockets (JSON-RPC 2.0 on ws): `add` for RPC. */
import { Server } from "rpc-websockets";
import { announce, installProcessHandlers, isMain, portFromArgs } from "./common.js";

export function startRpcWebsockets(port = 0): Promise<{ port: number; close: () => Promise<void> }> {
  const server = new Server({ host: "127.0.0.1", port });
  server.register("add", (params) => {
    const [a, b] = params as [number, number];
    return a + b;
  });
  server.on("socket-error", () => undefined);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.once("listening", () => {
      const address = server.wss.address();
      if (address === null || typeof address === "string") return reject(new Error("unexpected address"));
      resolve({ port: address.port, close: () => server.close() });
    });
  });
}

if (isMain(import.meta.url)) {
  const server = await startRpcWebsockets(portFromArgs());
  installProcessHandlers(() => server.close());
  announce("rpc-websockets", server.port);
}
