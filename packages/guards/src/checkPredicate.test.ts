import { describe, expect, it, vi } from "vitest";
import { checkPredicate, type PredicateLike } from "./checkPredicate.js";
import type { PredicateTarget } from "./predicate.js";
import { All, Has, Is, IsEqual } from "./predicates.js";

interface Conn extends PredicateTarget {
  uid: string;
}
const conn: Conn = { uid: "c1", state: { is_admin: true, role: "editor" } };

describe("checkPredicate", () => {
  it("evaluates serializable predicates against conn.state", () => {
    expect(checkPredicate(Is("is_admin"), conn)).toBe(true);
    expect(checkPredicate(All(Has("role"), IsEqual("role", "admin")), conn)).toBe(false);
  });

  it("accepts a plain function of the connection (local-only)", () => {
    const p: PredicateLike<Conn> = (c) => c.uid === "c1";
    expect(checkPredicate(p, conn)).toBe(true);
    expect(checkPredicate((c: Conn) => c.uid === "other", conn)).toBe(false);
  });

  it("counts a throwing function as false and reports the error", () => {
    const onError = vi.fn();
    const boom = new Error("boom");
    const p = (): boolean => {
      throw boom;
    };
    expect(checkPredicate(p, conn)).toBe(false);
    expect(checkPredicate(p, conn, onError)).toBe(false);
    expect(onError).toHaveBeenCalledWith(boom);
  });

  it("survives an error hook that throws", () => {
    const p = (): boolean => {
      throw new Error("boom");
    };
    expect(
      checkPredicate(p, conn, () => {
        throw new Error("hook");
      }),
    ).toBe(false);
  });

  it("grants only on exactly true", () => {
    for (const result of [1, "yes", {}, [], null, undefined]) {
      expect(checkPredicate((() => result) as never, conn)).toBe(false);
    }
  });

  it("denies an async function and does not leave its rejection unhandled", async () => {
    const onError = vi.fn();
    const unhandled = vi.fn();
    process.on("unhandledRejection", unhandled);
    try {
      expect(checkPredicate((async () => true) as never, conn)).toBe(false);
      expect(checkPredicate((async () => Promise.reject(new Error("late"))) as never, conn, onError)).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(onError).toHaveBeenCalledTimes(1);
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off("unhandledRejection", unhandled);
    }
  });

  it("denies when the state throws on access", () => {
    const hostile: PredicateTarget = {
      state: new Proxy({}, {
        getOwnPropertyDescriptor() {
          throw new Error("trap");
        },
      }),
    };
    expect(checkPredicate(Is("a"), hostile)).toBe(false);
  });

  it("denies something that is not a predicate at all", () => {
    expect(checkPredicate({ op: "is", key: "is_admin" } as never, conn)).toBe(false);
    expect(checkPredicate(undefined as never, conn)).toBe(false);
  });
});
