// Resumption across two servers sharing a session store (PROTOCOL.md § 11, "moved"), as a plain JSON client does it.
import { ClientType, PacketSource, type Packet } from "@webshocket/protocol";
import { RawClient } from "@webshocket/test-utils";
import { describe, expect, it, vi } from "vitest";
import { MemorySharedSessionStore } from "../src/index.js";
import { ResumeHandler } from "./resumeHandler.js";
import { startServer } from "./startServer.js";

interface SessionInfo {
  token: string;
  recovered: boolean;
  reason: string | null;
}

const isSession = (p: Packet): boolean => p.rpc?.type === "response" && p.rpc.call_id === "$session";

async function open(url: string, resume: string, type = ClientType.GENERIC): Promise<{ client: RawClient; session: SessionInfo }> {
  const client = await RawClient.connect(`${url}?resume=${resume}`, type);
  const packet = await client.waitFor(isSession);
  return { client, session: (packet.rpc as { response: SessionInfo }).response };
}

async function twoNodes() {
  const storeA = new MemorySharedSessionStore();
  const storeB = new MemorySharedSessionStore(storeA.space);
  const handlerA = new ResumeHandler();
  const handlerB = new ResumeHandler();
  const a = await startServer({ handler: handlerA, resume: { window: "1m", store: storeA } });
  const b = await startServer({ handler: handlerB, resume: { window: "1m", store: storeB } });
  return { a, b, handlerA, handlerB, storeA };
}

describe("resumption through a shared session store (two servers)", () => {
  it("moves a dropped session to the other server: same uid, state and subscriptions, recovered: moved, numbering from 1", async () => {
    const { a, b, handlerA, handlerB, storeA } = await twoNodes();
    await using _a = a;
    await using _b = b;
    const { client: first, session } = await open(a.url, "");
    const uid = (await first.call("login", ["alice"])).response as string;
    await first.call("join", [["room.a", "news.*"]]);
    // The snapshot follows the state and subscriptions (written at the end of the turn, when it changed).
    await vi.waitFor(() => expect(storeA.space.snapshots.get(session.token)?.text).toContain("news.*"));
    first.ws.terminate();
    await handlerA.events.reach("suspend", 1);

    const { client: moved, session: there } = await open(b.url, `${session.token}.0`);
    expect(there).toMatchObject({ recovered: true, reason: "moved" });
    expect(there.token).not.toBe(session.token);
    expect((await moved.call("whoami")).response).toEqual([uid, "alice"]);
    await handlerB.events.reach("connect", 1);
    await handlerA.events.reach("disconnect", 1); // the old server let it go when it was taken
    await handlerB.publish("news.7", "n");
    await handlerB.publish("room.a", "r");
    await handlerA.publish("room.a", "not to the old session");
    await moved.waitUntil(() => moved.packets.filter((p) => p.rpc === null).length === 2);
    expect(moved.packets.filter((p) => p.rpc === null).map((p) => [p.source, p.channel, p.data])).toEqual([
      [PacketSource.CHANNEL, "news.7", "n"],
      [PacketSource.CHANNEL, "room.a", "r"],
    ]);

    // Numbering starts again at the move: a later drop resumes on b by its own count.
    moved.ws.terminate();
    await handlerB.events.reach("suspend", 1);
    await handlerB.publish("room.a", "missed");
    const { client: back, session: again } = await open(b.url, `${there.token}.2`);
    expect(again).toMatchObject({ recovered: true, reason: null });
    await back.waitUntil(() => back.packets.some((p) => p.data === "missed"));
    await back.close();
  });

  it("refuses a token used once, on either server (used), and one of another encoding (mismatch)", async () => {
    const { a, b } = await twoNodes();
    await using _a = a;
    await using _b = b;
    const { client: first, session } = await open(a.url, "");
    await first.call("login", ["bob"]);
    first.ws.terminate();
    const { client: moved, session: there } = await open(b.url, `${session.token}.0`);
    expect(there.reason).toBe("moved");
    for (const url of [a.url, b.url]) {
      const { client, session: refused } = await open(url, `${session.token}.0`);
      expect(refused).toMatchObject({ recovered: false, reason: "used" });
      await client.close();
    }
    moved.ws.terminate();
    const { client: msgpack, session: other } = await open(a.url, `${there.token}.0`, ClientType.FRAMEWORK);
    expect(other).toMatchObject({ recovered: false, reason: "mismatch" });
    await msgpack.close();
  });

  it("lets a half-open session go on the old server when its token is taken elsewhere", async () => {
    const { a, b, handlerA } = await twoNodes();
    await using _a = a;
    await using _b = b;
    const { client: first, session } = await open(a.url, "");
    await first.call("login", ["carol"]);
    const { client: moved, session: there } = await open(b.url, `${session.token}.0`); // the old socket is still open
    expect(there.reason).toBe("moved");
    await first.closed; // dropped by a
    await handlerA.events.reach("disconnect", 1);
    expect(handlerA.events.count("suspend")).toBe(0);
    await moved.close();
  });

  it("hands its sessions over when it shuts down: a client closed with 1001 resumes on the other server (moved)", async () => {
    const { a, b, handlerA } = await twoNodes();
    await using _b = b;
    const { client: live, session: liveSession } = await open(a.url, "");
    const uid = (await live.call("login", ["erin"])).response as string;
    await live.call("join", [["room.a"]]);
    const { client: dropped, session: droppedSession } = await open(a.url, "");
    await dropped.call("login", ["finn"]);
    dropped.ws.terminate();
    await handlerA.events.reach("suspend", 1);
    await a.close();
    expect((await live.closed).code).toBe(1001);
    await handlerA.events.reach("disconnect", 2);
    const { client: moved, session: there } = await open(b.url, `${liveSession.token}.0`);
    expect(there).toMatchObject({ recovered: true, reason: "moved" });
    expect((await moved.call("whoami")).response).toEqual([uid, "erin"]);
    const { client: alsoMoved, session: alsoThere } = await open(b.url, `${droppedSession.token}.0`);
    expect(alsoThere).toMatchObject({ recovered: true, reason: "moved" });
    expect(((await alsoMoved.call("whoami")).response as unknown[])[1]).toBe("finn");
    await moved.close();
    await alsoMoved.close();
  });
});
