/**
 * socket.io v4 handlers shared by both engines: `add` (emit with ack), `join`
 * (room) and `pub` (N room emits of 64 bytes).
 */
import type { Server } from "socket.io";
import { FANOUT_PAYLOAD } from "./common.js";

export const ROOM = "bench";

export function installSocketIoHandlers(io: Server): void {
  io.on("connection", (socket) => {
    socket.on("add", (a: number, b: number, ack: (sum: number) => void) => ack(a + b));
    socket.on("join", (room: string, ack: (ok: boolean) => void) => {
      void socket.join(room);
      ack(true);
    });
    socket.on("pub", (n: number, ack: (n: number) => void) => {
      ack(n);
      setImmediate(() => {
        for (let i = 0; i < n; i++) io.to(ROOM).emit("msg", FANOUT_PAYLOAD);
      });
    });
  });
}
