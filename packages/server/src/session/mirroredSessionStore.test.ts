import { ClientType } from "@webshocket/protocol";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ClientConnection } from "../connection.js";
import { silentLogger } from "../logger.js";
import { MirroredSessionStore } from "./mirroredSessionStore.js";
import { Session } from "./session.js";
import type { SharedSessionStore } from "./sharedSessionStore.js";

/** A shared store that records what it was asked. */
function recordingStore() {
  const calls: string[] = [];
  let taken: ((token: string) => void) | undefined;
  const store: SharedSessionStore = {
    start: (t) => ((taken = t), Promise.resolve()),
    put: (token, snapshot) => (calls.push(`put ${token} ${snapshot}`), Promise.resolve()),
    touch: (tokens) => (calls.push(`touch ${tokens.join(",")}`), Promise.resolve()),
    take: () => Promise.resolve({ reason: "unknown" }),
    restore: () => Promise.resolve(),
    retire: (token, reason) => (calls.push(`retire ${token} ${reason}`), Promise.resolve()),
    close: () => Promise.resolve(),
  };
  return { store, calls, notify: (token: string) => taken?.(token) };
}

function session(uid: string, token: string): Session {
  const channels = new Set<string>();
  const conn = { uid, state: Object.create(null) as Record<string, unknown>, channelSet: channels, clientType: ClientType.GENERIC } as unknown as ClientConnection;
  return new Session(conn, token, { windowMs: 60_000, maxMessages: 10, maxBytes: 1000, store: undefined }, () => {});
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe("MirroredSessionStore", () => {
  it("writes a session's snapshot at most once per turn, and only when it changed", async () => {
    const { store, calls } = recordingStore();
    const mirror = new MirroredSessionStore(store, 60_000, () => {});
    await mirror.start(silentLogger);
    const s = session("u1", "t1");
    mirror.put("t1", s);
    (s.conn.state as Record<string, unknown>).name = "ada";
    for (let i = 0; i < 5; i++) mirror.mark(s);
    await turn();
    expect(calls).toEqual([`put t1 {"uid":"u1","state":{"name":"ada"},"channels":[],"clientType":"Generic"}`]);
    mirror.mark(s);
    await turn();
    expect(calls).toHaveLength(1); // unchanged: nothing written
    s.conn.channelSet.add("news.*");
    mirror.mark(s);
    mirror.mark(s);
    await turn();
    expect(calls.slice(1)).toEqual([`put t1 {"uid":"u1","state":{"name":"ada"},"channels":["news.*"],"clientType":"Generic"}`]);
    mirror.suspended(s); // written again (its time runs from the drop), even unchanged
    expect(calls).toHaveLength(3);
    mirror.retire("t1", "expired");
    mirror.mark(s);
    await turn();
    expect(calls.slice(3)).toEqual(["retire t1 expired"]); // a retired token's session is written no more
    await mirror.close();
  });

  it("keeps live snapshots from expiring, and hands a session taken by another node back to the server", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const { store, calls, notify } = recordingStore();
    const taken: Session[] = [];
    const mirror = new MirroredSessionStore(store, 60_000, (s) => taken.push(s));
    await mirror.start(silentLogger);
    const live = session("u1", "t1");
    const away = session("u2", "t2");
    mirror.put("t1", live);
    mirror.put("t2", away);
    await turn();
    away.suspend();
    calls.length = 0;
    vi.advanceTimersByTime(20_000);
    expect(calls).toEqual(["touch t1"]); // the suspended one lives a window from its drop
    notify("t9");
    notify("t2");
    expect(taken).toEqual([away]);
    await mirror.close();
  });
});
