// A handler class shaped like a server handler, for tests that must not need the server package.

/** Stands for the server's ClientConnection. */
export interface FakeConnection {
  readonly uid: string;
  subscribe(channel: string): boolean;
}

/** Stands for the server's WebSocketHandler base class. */
export class FakeHandlerBase {
  readonly clients = new Set<FakeConnection>();
  readonly channels = new Map<string, Set<FakeConnection>>();
  onConnect(_conn: FakeConnection): void {}
  onReceive(_conn: FakeConnection, _packet: unknown): void {}
  onDisconnect(_conn: FakeConnection): void {}
  onError(_error: unknown, _conn: FakeConnection | undefined): void {}
  publish(_channel: string, _data: unknown): Promise<void> {
    return Promise.resolve();
  }
  broadcast(_data: unknown): Promise<void> {
    return Promise.resolve();
  }
  subscribe(_conn: FakeConnection, _channel: string): boolean {
    return true;
  }
  unsubscribe(_conn: FakeConnection, _channel: string): void {}
  registerRpcMethod(_fn: unknown, _alias?: string): void {}
}

export class MathHandler extends FakeHandlerBase {
  async add(_conn: FakeConnection, a: number, b: number): Promise<number> {
    return a + b;
  }
  async mul(_conn: FakeConnection, a: number, b: number): Promise<number> {
    return a * b;
  }
  async *count_to(_conn: FakeConnection, n: number, _delayMs = 0): AsyncGenerator<number> {
    for (let i = 1; i <= n; i++) yield i;
  }
  join(conn: FakeConnection, room: string): boolean {
    return conn.subscribe(room);
  }
  say(_conn: FakeConnection, room: string, text: string): void {
    void this.publish(room, text);
  }
  ping(_conn: FakeConnection): "pong" {
    return "pong";
  }
  profile(_conn: FakeConnection, id: string): Promise<{ id: string; tags: string[] }> {
    return Promise.resolve({ id, tags: [] });
  }
  protected helper(): number {
    return 1;
  }
  private secret(): number {
    return 2;
  }
  static create(): MathHandler {
    return new MathHandler();
  }
}
