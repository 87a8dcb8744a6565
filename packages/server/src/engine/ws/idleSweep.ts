import type { WsSocket } from "./wsSocket.js";

/**
 * uWebSockets.js's idle timeout for the ws engine: a socket that sent nothing for half the timeout gets a
 * ping, and one that answered nothing for another half is dropped. One timer for every socket.
 */
export class IdleSweep {
  readonly #sockets = new Set<WsSocket>();
  #timer: ReturnType<typeof setInterval> | undefined;

  /** @param seconds the idle timeout; 0 disables. */
  constructor(private readonly seconds: number) {}

  add(socket: WsSocket): void {
    this.#sockets.add(socket);
    if (this.#timer === undefined && this.seconds > 0) {
      this.#timer = setInterval(() => this.#sweep(), (this.seconds * 1000) / 2);
      this.#timer.unref();
    }
  }

  delete(socket: WsSocket): void {
    this.#sockets.delete(socket);
    if (this.#sockets.size === 0) this.stop();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #sweep(): void {
    for (const socket of this.#sockets) {
      if (socket.alive) {
        socket.alive = false;
        socket.pinged = false;
      } else if (!socket.pinged) {
        socket.pinged = true;
        socket.ws.ping();
      } else {
        socket.close();
      }
    }
  }
}
