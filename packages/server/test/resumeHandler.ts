import { rpcMethod, WebSocketHandler, type ClientConnection } from "../src/index.js";

type State = { name: string };
type Conn = ClientConnection<State>;

/** Waits for the n-th event of a kind without polling. */
class Events {
  readonly seen: string[] = [];
  #waiters: Array<{ kind: string; n: number; resolve: () => void }> = [];
  add(kind: string, uid: string): void {
    this.seen.push(`${kind} ${uid}`);
    this.#waiters = this.#waiters.filter((w) => (this.count(w.kind) >= w.n ? (w.resolve(), false) : true));
  }
  count(kind: string): number {
    return this.seen.filter((e) => e.startsWith(`${kind} `)).length;
  }
  /** Resolves once `n` events of `kind` have happened. */
  reach(kind: string, n: number): Promise<void> {
    if (this.count(kind) >= n) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ kind, n, resolve }));
  }
}

/** A handler for the resumption tests: login, join channels and patterns, publish bursts; records its hooks. */
export class ResumeHandler extends WebSocketHandler<State> {
  readonly events = new Events();
  /** Every connection by uid, as the hooks saw it. */
  readonly conns = new Map<string, Conn>();
  #burst: Promise<void> = Promise.resolve();

  override onConnect(conn: Conn): void {
    this.conns.set(conn.uid, conn);
    this.events.add("connect", conn.uid);
  }
  override onSuspend(conn: Conn): void {
    this.events.add("suspend", conn.uid);
  }
  override onResume(conn: Conn): void {
    this.events.add("resume", conn.uid);
  }
  override onDisconnect(conn: Conn): void {
    this.events.add("disconnect", conn.uid);
  }

  @rpcMethod() login(conn: Conn, name: string): string {
    conn.state.name = name;
    return conn.uid;
  }
  @rpcMethod() whoami(conn: Conn): [string, string | undefined] {
    return [conn.uid, conn.state.name];
  }
  @rpcMethod() join(conn: Conn, channels: string[]): boolean {
    return conn.subscribe(channels);
  }
  @rpcMethod() direct(conn: Conn, value: unknown): boolean {
    return conn.send(value);
  }

  /** Publishes n messages (i = 0…n−1) to `room.a` and `news.<i % 10>` in turn, `perTurn` per event-loop turn. */
  @rpcMethod() burst(_conn: Conn, n: number, perTurn = n): boolean {
    this.#burst = (async () => {
      for (let i = 0; i < n; ) {
        const end = Math.min(n, i + perTurn);
        for (; i < end; i++) void this.publish(i % 2 === 0 ? "room.a" : `news.${i % 10}`, i);
        await new Promise<void>((r) => setImmediate(r));
      }
    })();
    return true;
  }

  /** Resolves when the last burst has published everything. */
  burstDone(): Promise<void> {
    return this.#burst;
  }
}
