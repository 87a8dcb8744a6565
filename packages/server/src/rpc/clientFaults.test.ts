import { afterEach, describe, expect, it, vi } from "vitest";
import type { ClientConnection } from "../connection.js";
import type { Logger } from "../logger.js";
import { logClientFault } from "./clientFaults.js";

const conn = (uid: string) => ({ toString: () => `ClientConnection(${uid})` }) as unknown as ClientConnection;

describe("logClientFault", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("logs one line per mistake, 5 a minute per connection, then says how many it left out", () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const logger: Logger = { debug: () => {}, info: () => {}, error: () => {}, warn: (m: string, ...rest: unknown[]) => lines.push([m, ...rest].join(" ")) };
    const a = conn("a");
    const extra = 3 + Math.floor(Math.random() * 20);
    for (let i = 0; i < 5 + extra; i++) logClientFault(logger, a, "join", "Channel names\nmust be non-empty strings.");
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe("client error on ClientConnection(a) in join: Channel names must be non-empty strings.");
    logClientFault(logger, conn("b"), "add", "bad");
    expect(lines).toHaveLength(6);
    vi.advanceTimersByTime(59_999);
    logClientFault(logger, a, "join", "again");
    expect(lines).toHaveLength(6);
    vi.advanceTimersByTime(1);
    logClientFault(logger, a, "join", "again");
    expect(lines.at(-1)).toBe(`client error on ClientConnection(a) in join: again (${extra + 1} similar lines left out)`);
  });
});
