import { describe, expect, it } from "vitest";
import type { ClientConnection } from "../connection.js";
import { awaitCredit, closeCredit, forgetCredits, grantCredit, openCredit, takeEarlyCredit } from "./streamCredit.js";

const conn = () => ({}) as ClientConnection;

describe("stream credit book", () => {
  it("keeps one early grant per connection, for the request with its call id only", () => {
    const a = conn();
    const b = conn();
    expect(grantCredit(a, "s1", 8)).toBe(false);
    expect(grantCredit(a, "s2", 16)).toBe(false); // replaces s1's
    expect(grantCredit(b, "s3", 4)).toBe(false);
    expect(takeEarlyCredit(a, "s1")).toBeUndefined();
    expect(takeEarlyCredit(a, "s2")).toBeUndefined(); // taken (and dropped) by the request before
    expect(takeEarlyCredit(b, "s3")).toBe(4);
    expect(takeEarlyCredit(b, "s3")).toBeUndefined();
  });

  it("adds grants to a running stream and wakes it; closing wakes it too", async () => {
    const c = conn();
    const credit = openCredit(c, "s", 0);
    const waiting = awaitCredit(credit);
    expect(grantCredit(c, "s", 3)).toBe(true);
    await waiting;
    expect(credit.left).toBe(3);
    grantCredit(c, "s", Number.MAX_SAFE_INTEGER);
    expect(credit.left).toBe(Number.MAX_SAFE_INTEGER);
    const again = awaitCredit(credit);
    closeCredit(c, "s");
    await again;
    expect(grantCredit(c, "s", 1)).toBe(false); // no longer running: kept as an early grant
    forgetCredits(c);
    expect(takeEarlyCredit(c, "s")).toBeUndefined();
  });

  it("closes only the account it is given", () => {
    const c = conn();
    const old = openCredit(c, "s", 1);
    const fresh = openCredit(c, "s", 5);
    closeCredit(c, "s", old);
    expect(grantCredit(c, "s", 1)).toBe(true);
    expect(fresh.left).toBe(6);
  });
});
