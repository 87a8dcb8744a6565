import { Is } from "@webshocket/guards";
import { describe, expect, it } from "vitest";
import { channel, collectChannels, emitChannel, findDeclaration, getChannelDeclaration } from "./channelDeclaration.js";
import { GlobPattern } from "./globPattern.js";

class Base {}
class Declares extends Base {
  @channel("news.*", { requires: Is("member") }) news() {
    return "news";
  }
  @channel("news.eu") eu() {
    return "eu";
  }
  @channel("*.log") logs() {
    return null;
  }
  plain() {}
}

const declarations = collectChannels(new Declares(), Base.prototype);
const decide = (name: string): string | undefined => findDeclaration(declarations, name, GlobPattern.compile(name))?.pattern;

describe("@channel declarations", () => {
  it("are collected from the methods that carry them, with their options", () => {
    expect(declarations.map((d) => d.pattern)).toEqual(["news.*", "news.eu", "*.log"]);
    expect(getChannelDeclaration(Declares.prototype.news)?.requires).toEqual(Is("member"));
    expect(getChannelDeclaration(Declares.prototype.plain)).toBeUndefined();
    expect(() => channel("")(() => {})).toThrow(TypeError);
  });

  it("work as legacy decorators too (experimentalDecorators: prototype, key, descriptor)", () => {
    const fn = function room(): null {
      return null;
    };
    const descriptor: PropertyDescriptor = { value: fn, writable: true, configurable: true };
    expect(channel("room.*", { requires: Is("member") })({}, "room", descriptor)).toBe(descriptor);
    expect(getChannelDeclaration(fn)?.pattern).toBe("room.*");
    expect(() => channel("x")({}, "field", { get: () => 1 })).toThrow(/can only decorate methods, not 'field'/);
  });

  it("decide an exact name by the exact declaration first, then the first pattern matching it", () => {
    expect(decide("news.eu")).toBe("news.eu");
    expect(decide("news.us")).toBe("news.*");
    expect(decide("app.log")).toBe("*.log");
    expect(decide("weather")).toBeUndefined();
  });

  it("cover a requested pattern only when every name it matches is declared", () => {
    expect(decide("news.*")).toBe("news.*");
    expect(decide("news.eu.*")).toBe("news.*");
    expect(decide("news.[ab]?")).toBe("news.*");
    expect(decide("*.log")).toBe("*.log");
    for (const uncovered of ["*", "n*", "new[s]*", "*.eu", "?ews.eu", "a.*.log", "*og"]) expect(decide(uncovered), uncovered).toBeUndefined();
  });

  it("give emit the channel: the declared name, or one the pattern matches", () => {
    const d = new Declares();
    expect(emitChannel(d.eu, undefined)).toBe("news.eu");
    expect(emitChannel(d.news, "news.tech")).toBe("news.tech");
    expect(() => emitChannel(d.news, undefined)).toThrow(/pass \{ channel \}/);
    expect(() => emitChannel(d.news, "weather")).toThrow(/not one 'news\.\*' declares/);
    expect(() => emitChannel(d.eu, "news.us")).toThrow(TypeError);
    expect(() => emitChannel(d.plain, "x")).toThrow(/not marked with @channel/);
  });
});
