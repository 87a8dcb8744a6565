// A shared-store take undone: the client went away while its token was being taken, so the snapshot goes back and
// the token resumes later (upgrade.ts → LookedUp.undo → SharedSessionStore.restore). ws engine only: the test must
// see the upgrade's socket close before the take settles, and only an application's own http.Server shows it.
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { ClientType, type Packet } from "@webshocket/protocol";
import { RawClient } from "@webshocket/test-utils";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { MemorySharedSessionStore, silentLogger, WebSocketServer, type SharedTake } from "../src/index.js";
import { ResumeHandler } from "./resumeHandler.js";
import { startServer } from "./startServer.js";

interface SessionInfo {
  token: string;
  recovered: boolean;
  reason: string | null;
}
const isSession = (p: Packet): boolean => p.rpc?.type === "response" && p.rpc.call_id === "$session";
const sessionOf = (p: Packet): SessionInfo => (p.rpc as { response: SessionInfo }).response;

/** A node's store whose takes wait until the test lets them go, and which reports its restores. */
class GatedStore extends MemorySharedSessionStore {
  /** Releases of takes the test has not asked for yet. */
  readonly #waiting: Array<() => void> = [];
  #asked: ((release: () => void) => void) | undefined;
  #restored: ((token: string) => void) | undefined;
  readonly nextRestore = new Promise<string>((resolve) => (this.#restored = resolve));

  /** Resolves, once a take is under way, with the function that lets it finish. */
  nextTake(): Promise<() => void> {
    const waiting = this.#waiting.shift();
    return waiting !== undefined ? Promise.resolve(waiting) : new Promise((resolve) => (this.#asked = resolve));
  }

  override async take(token: string): Promise<SharedTake> {
    const found = await super.take(token);
    await new Promise<void>((release) => {
      const asked = this.#asked;
      this.#asked = undefined;
      if (asked !== undefined) asked(release);
      else this.#waiting.push(release);
    });
    return found;
  }

  override async restore(token: string, snapshot: string, ttlMs: number): Promise<void> {
    await super.restore(token, snapshot, ttlMs);
    this.#restored?.(token);
  }
}

describe("a shared-store take whose client left during the upgrade", () => {
  it("puts the snapshot back, so the same token resumes afterwards (moved, state intact)", async () => {
    const storeA = new MemorySharedSessionStore();
    const storeB = new GatedStore(storeA.space);
    await using a = await startServer({ handler: new ResumeHandler(), resume: { window: "1m", store: storeA } });
    const http = createServer();
    http.listen(0, "127.0.0.1");
    await once(http, "listening");
    await using _http = Object.assign(http, { [Symbol.asyncDispose]: () => new Promise<void>((resolve) => http.close(() => resolve())) });
    const upgrades: Socket[] = [];
    http.prependListener("upgrade", (_req, socket: Socket) => void upgrades.push(socket));
    await using b = new WebSocketServer({ httpServer: http, handler: new ResumeHandler(), logger: silentLogger, resume: { window: "1m", store: storeB } });
    await b.start();
    const bUrl = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/`;

    const first = await RawClient.connect(`${a.url}?resume=`, ClientType.GENERIC);
    const { token } = sessionOf(await first.waitFor(isSession));
    const uid = (await first.call("login", ["dana"])).response as string;
    await first.call("join", [["room.a"]]);
    first.ws.terminate();

    // The client asks b to resume and goes away while b's store is still taking its token.
    const leaving = new WebSocket(`${bUrl}?resume=${token}.0`);
    leaving.on("error", () => {});
    const release = await storeB.nextTake();
    const socket = upgrades[0] as Socket;
    const socketEnded = once(socket, "end");
    leaving.terminate();
    await socketEnded; // b's engine has seen it too (its listener ran in the same emit)
    release();
    expect(await storeB.nextRestore).toBe(token);

    // The token is good again: a second attempt resumes on b.
    const resuming = RawClient.connect(`${bUrl}?resume=${token}.0`, ClientType.GENERIC);
    (await storeB.nextTake())();
    const back = await resuming;
    expect(sessionOf(await back.waitFor(isSession))).toMatchObject({ recovered: true, reason: "moved" });
    expect((await back.call("whoami")).response).toEqual([uid, "dana"]);
    await back.close();
  });
});
