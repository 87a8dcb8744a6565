/** socket.io v4 attached to a uWebSockets.js app (`io.attachApp`). */
import { Server } from "socket.io";
import uWS from "uWebSockets.js";
import { announce, installProcessHandlers, isMain, portFromArgs } from "./common.js";
import { installSocketIoHandlers } from "./socketio.js";

export function startSocketIoUws(port = 0): Promise<{ port: number; close: () => void }> {
  const app = uWS.App();
  const io = new Server();
  io.attachApp(app);
  installSocketIoHandlers(io);
  return new Promise((resolve, reject) => {
    app.listen("127.0.0.1", port, (token) => {
      if (!token) return reject(new Error(`cannot listen on ${port}`));
      resolve({ port: uWS.us_socket_local_port(token as unknown as uWS.us_socket), close: () => uWS.us_listen_socket_close(token) });
    });
  });
}

if (isMain(import.meta.url)) {
  const server = await startSocketIoUws(portFromArgs());
  installProcessHandlers(() => server.close());
  announce("socketio-uws", server.port);
}
