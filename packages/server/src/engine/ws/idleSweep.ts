import type { WsSocket } from "./wsSocket.js";

/** Sweeps per idle timeout: a socket's silence is known to within 1/TICKS of the timeout. */
const TICKS = 8;
/** Silent sweeps before a ping: the ping leaves after half the timeout (to 5/8 of it) without traffic. */
const PING_AT = TICKS / 2;

/**
 * uWebSockets.js's idle timeout for the ws engine: a socket silent for half the timeout gets a ping, and one
 * silent for the whole timeout (it answered no ping) is dropped. One timer for every socket, ticking eight
 * times per timeout; a socket's traffic only sets a flag. Pinging at half the timeout keeps the default (40 s)
 * connection talking every 20–25 s, inside nginx's 60 s `proxy_read_timeout` and Cloudflare's 100 s.
 */
export class IdleSweep {
  readonly #sockets = new Set<WsSocket>();
  #timer: ReturnType<typeof setInterval> | undefined;

  /** @param seconds the idle timeout; 0 disables. */
  constructor(private readonly seconds: number) {}

  add(socket: WsSocket): void {
    this.#sockets.add(socket);
    if (this.#timer === undefined && this.seconds > 0) {
      this.#timer = setInterval(() => this.#sweep(), (this.seconds * 1000) / TICKS);
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
        socket.idleTicks = 0;
        continue;
      }
      const idle = ++socket.idleTicks;
      if (idle === PING_AT) socket.ws.ping();
      else if (idle >= TICKS) socket.close();
    }
  }
}
