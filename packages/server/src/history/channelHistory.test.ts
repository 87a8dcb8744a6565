import { describe, expect, it } from "vitest";
import { ChannelHistory } from "./channelHistory.js";
import { resolveHistory, type HistoryOptions } from "./historyOptions.js";

function setup(o: HistoryOptions = {}): { h: ChannelHistory; clock: { t: number } } {
  const clock = { t: 1_000_000 };
  const h = new ChannelHistory(resolveHistory(o)!, () => clock.t);
  return { h, clock };
}

describe("resolveHistory", () => {
  it("is off by default, defaults size 1,000 and ttl 5m", () => {
    expect(resolveHistory(undefined)).toBeUndefined();
    expect(resolveHistory(false)).toBeUndefined();
    expect(resolveHistory(true)).toMatchObject({ size: 1000, ttlMs: 300_000, channels: undefined });
    expect(resolveHistory({ size: 5, ttl: "10s" })).toMatchObject({ size: 5, ttlMs: 10_000 });
  });
  it("refuses bad options", () => {
    expect(() => resolveHistory({ size: 0 })).toThrow(RangeError);
    expect(() => resolveHistory({ size: 1.5 })).toThrow(RangeError);
    expect(() => resolveHistory({ ttl: "soon" })).toThrow();
    expect(() => resolveHistory({ channels: [""] })).toThrow(TypeError);
  });
});

describe("ChannelHistory", () => {
  it("numbers each channel's publications from 1, per exact channel", () => {
    const { h } = setup();
    for (let i = 1; i <= 3; i++) h.record("a", `a${i}`);
    h.record("b", "b1");
    const a = h.read("a");
    expect(a).toMatchObject({ offset: 3, recovered: true });
    expect(a.publications).toEqual([{ offset: 1, data: "a1" }, { offset: 2, data: "a2" }, { offset: 3, data: "a3" }]);
    expect(h.read("b").publications).toEqual([{ offset: 1, data: "b1" }]);
    expect(h.read("a").epoch).not.toBe(h.read("b").epoch);
  });

  it("answers what follows `since`, up to `limit`, oldest first", () => {
    const { h } = setup();
    for (let i = 1; i <= 10; i++) h.record("c", i);
    const { epoch } = h.read("c");
    expect(h.read("c", { since: { epoch, offset: 6 } }).publications.map((p) => p.data)).toEqual([7, 8, 9, 10]);
    expect(h.read("c", { since: { epoch, offset: 6 }, limit: 2 }).publications.map((p) => p.offset)).toEqual([7, 8]);
    expect(h.read("c", { since: { epoch, offset: 10 } })).toEqual({ epoch, offset: 10, publications: [], recovered: true });
    // No since: the newest `limit`.
    expect(h.read("c", { limit: 3 }).publications.map((p) => p.offset)).toEqual([8, 9, 10]);
    expect(h.read("c", { limit: 0 })).toEqual({ epoch, offset: 10, publications: [], recovered: true });
  });

  it("says recovered: false, with nothing, for a position it no longer has", () => {
    const { h } = setup({ size: 5 });
    for (let i = 1; i <= 12; i++) h.record("c", i);
    const { epoch } = h.read("c");
    const gone = { epoch, offset: 12, publications: [], recovered: false };
    expect(h.read("c", { since: { epoch, offset: 6 } })).toEqual(gone); // 7 is gone: oldest kept is 8
    expect(h.read("c", { since: { epoch, offset: 7 } }).publications.map((p) => p.offset)).toEqual([8, 9, 10, 11, 12]);
    expect(h.read("c", { since: { epoch, offset: 13 } })).toEqual(gone); // past the newest
    expect(h.read("c", { since: { epoch: "other", offset: 11 } })).toEqual(gone); // another epoch
  });

  it("drops publications older than ttl (clock injected)", () => {
    const { h, clock } = setup({ ttl: 1000 });
    h.record("c", 1);
    clock.t += 600;
    h.record("c", 2);
    const { epoch } = h.read("c");
    clock.t += 500; // 1 is 1,100 ms old, 2 is 500
    expect(h.read("c").publications).toEqual([{ offset: 2, data: 2 }]);
    expect(h.read("c", { since: { epoch, offset: 0 } }).recovered).toBe(false);
    expect(h.read("c", { since: { epoch, offset: 1 } }).publications).toEqual([{ offset: 2, data: 2 }]);
  });

  it("forgets a channel quiet for ttl: its next history has a new epoch", () => {
    const { h, clock } = setup({ ttl: 1000 });
    h.record("quiet", 1);
    const before = h.read("quiet");
    clock.t += 2000;
    h.record("busy", 1); // sweeps
    expect(h.size).toBe(1);
    const after = h.read("quiet");
    expect(after.epoch).not.toBe(before.epoch);
    expect(after.offset).toBe(0);
    expect(h.read("quiet", { since: { epoch: before.epoch, offset: 1 } }).recovered).toBe(false);
  });

  it("makes no ring for a read of an empty channel; a position from it is refused, never partly answered", () => {
    const { h } = setup();
    const empty = h.read("nobody.yet");
    expect(empty).toMatchObject({ offset: 0, publications: [], recovered: true });
    for (let i = 0; i < 1000; i++) h.read(`invented.${i}`);
    expect(h.size).toBe(0);
    h.record("nobody.yet", "first");
    expect(h.read("nobody.yet", { since: { epoch: empty.epoch, offset: 0 } })).toMatchObject({ publications: [], recovered: false });
  });

  it("keeps history only for `channels` when given", () => {
    const { h } = setup({ channels: ["chat.*", "news"] });
    h.record("chat.1", "x");
    h.record("news", "y");
    h.record("other", "z");
    expect(h.size).toBe(2);
    expect(h.read("chat.1").publications).toHaveLength(1);
    expect(() => h.read("other")).toThrow(/keeps no history/);
    expect(() => h.read("news", { limit: -1 })).toThrow(RangeError);
  });
});
