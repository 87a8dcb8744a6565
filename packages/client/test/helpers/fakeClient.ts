import { WebSocketClient } from "../../src/index.js";
import type { ClientOptions } from "../../src/options.js";
import { FakeSocket } from "./fakeSocket.js";

/**
 * A client on a FakeSocket, connected: the test plays the server through the returned socket.
 * Streams send no `$credit` unless `streamWindow` is given (stream.test.ts tests flow control).
 */
export async function fakeClient(options: ClientOptions = {}): Promise<{ client: WebSocketClient; socket: FakeSocket }> {
  const client = new WebSocketClient("ws://fake.test:1", { WebSocket: FakeSocket, streamWindow: null, ...options });
  const connecting = client.connect();
  await Promise.resolve();
  await Promise.resolve();
  const socket = FakeSocket.last;
  socket.open();
  await connecting;
  return { client, socket };
}

/** Waits until the socket has sent `n` RPC requests, and returns the last one's call id. */
export async function nthRequest(socket: FakeSocket, n: number): Promise<string> {
  for (let i = 0; i < 50 && socket.requests.length < n; i++) await new Promise((r) => setImmediate(r));
  const request = socket.requests[n - 1];
  if (!request) throw new Error(`only ${socket.requests.length} requests were sent, expected ${n}`);
  return request.call_id;
}
