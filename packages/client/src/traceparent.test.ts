import { createResponse } from "@webshocket/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { fakeClient } from "../test/helpers/fakeClient.js";
import { FakeSocket } from "../test/helpers/fakeSocket.js";

beforeEach(() => FakeSocket.reset());

describe("traceparent option", () => {
  it("sends the trace context the app gives with calls and streams, and nothing without it", async () => {
    let current: string | undefined = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const { client, socket } = await fakeClient({ traceparent: () => current });
    const call = client.sendRpc("add", 1, 2);
    socket.push(createResponse(socket.requests[0]!.call_id, 3));
    await call;
    current = undefined;
    const untraced = client.sendRpc("add", 1, 2);
    socket.push(createResponse(socket.requests[1]!.call_id, 3));
    await untraced;
    expect(socket.requests[0]!.traceparent).toBe("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    expect("traceparent" in socket.requests[1]!).toBe(false);
    await client.close();
    const { client: plain, socket: s2 } = await fakeClient();
    const p = plain.sendRpc("add", 1, 2);
    s2.push(createResponse(s2.requests[0]!.call_id, 3));
    await p;
    expect("traceparent" in s2.requests[0]!).toBe(false);
    await plain.close();
  });
});
