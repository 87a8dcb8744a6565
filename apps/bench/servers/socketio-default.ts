/** socket.io v4 with its default engine (engine.io on node:http + ws). */
import { createServer } from "node:http";
import { Server } from "socket.io";
import { announce, installProcessHandlers, isMain, portFromArgs } from "./common.js";
import { installSocketIoHandlers } from "./socketio.js";

export function startSocketIoDefault(port = 0): Promise<{ port: number; close: () => Promise<void> }> {
  const http = createServer();
  const io = new Server(http);
  installSocketIoHandlers(io);
  return new Promise((resolve, reject) => {
    http.once("error", reject);
    http.listen(port, "127.0.0.1", () => {
      const address = http.address();
      if (address === null || typeof address === "string") return reject(new Error("unexpected address"));
      resolve({ port: address.port, close: () => new Promise<void>((r) => void io.close(() => r())) });
    });
  });
}

if (isMain(import.meta.url)) {
  const server = await startSocketIoDefault(portFromArgs());
  installProcessHandlers(() => server.close());
  announce("socketio-default", server.port);
}
