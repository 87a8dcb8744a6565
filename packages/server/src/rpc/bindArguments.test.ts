import { describe, expect, it } from "vitest";
import { bindArguments } from "./bindArguments.js";
import type { ParameterInfo } from "./parameters.js";

const p = (name: string, optional = false, rest = false): ParameterInfo => ({ name, optional, rest });
const AB = [p("a"), p("b")];

describe("bindArguments", () => {
  it("positional arguments only: the args array itself", () => {
    const args = [1, 2];
    const bound = bindArguments(AB, args, {});
    expect(bound).toEqual({ ok: true, args: [1, 2] });
    expect(bound.ok && bound.args).toBe(args);
  });

  it("trailing parameters may be left out, with or without a default; a rest parameter takes the extra", () => {
    expect(bindArguments([p("a"), p("b", true)], [1], {})).toEqual({ ok: true, args: [1] });
    expect(bindArguments(AB, [1], {})).toEqual({ ok: true, args: [1] });
    expect(bindArguments(AB, [], {})).toEqual({ ok: true, args: [] });
    expect(bindArguments([p("a"), p("more", false, true)], [1, 2, 3], {})).toEqual({ ok: true, args: [1, 2, 3] });
  });

  it("keyword arguments fill their parameters", () => {
    expect(bindArguments(AB, [1], { b: 2 })).toEqual({ ok: true, args: [1, 2] });
    expect(bindArguments(AB, [], { b: 2, a: 1 })).toEqual({ ok: true, args: [1, 2] });
    expect(bindArguments(AB, [], { b: 2 })).toEqual({ ok: true, args: [undefined, 2] });
  });

  it("says what is wrong, as Python does", () => {
    expect(bindArguments(AB, [1, 2, 3], {})).toEqual({ ok: false, problem: "takes 2 arguments but 3 were given" });
    expect(bindArguments(AB, [1, 2], { c: 1 })).toEqual({ ok: false, problem: "got an unexpected keyword argument 'c'" });
    expect(bindArguments(AB, [1, 2], { a: 1 })).toEqual({ ok: false, problem: "got multiple values for argument 'a'" });
  });
});
