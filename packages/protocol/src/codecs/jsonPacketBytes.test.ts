import { describe, expect, it } from "vitest";
import { count, fuzzCases, prng, randomValue } from "../../test/randomValues.js";
import { toPacket } from "../validate.js";
import { decodeJsonPacket } from "./jsonPacketBytes.js";
import { parse, stringify } from "./jsonText.js";

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** What the general path decodes (undefined when it refuses the text or the packet). */
function general(text: string): unknown {
  try {
    const { packet, error } = toPacket(parse(text));
    return error === undefined ? packet : undefined;
  } catch {
    return undefined;
  }
}

/** The fast path steps aside or builds exactly the general path's packet (call ids it assigns aside). */
function agrees(text: string): boolean {
  const fast = decodeJsonPacket(utf8(text));
  if (fast === undefined) return false;
  const expected = general(text) as { rpc: { call_id?: string } | null } | undefined;
  if (expected === undefined) throw new Error(`fast path accepted what the general path refuses: ${text}`);
  if (expected.rpc !== null && fast.rpc !== null && !/"call_id"/.test(text)) expected.rpc.call_id = fast.rpc.call_id;
  expect(fast, text).toStrictEqual(expected);
  return true;
}

function shuffle<T>(rand: () => number, list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [list[i], list[j]] = [list[j] as T, list[i] as T];
  }
  return list;
}

describe("decodeJsonPacket (the JSON codec's packet fast path)", () => {
  it("reads the packets clients send, in any field order and spacing", () => {
    const texts = [
      '{"source":5,"data":null,"rpc":{"type":"request","method":"add","args":[1,1001],"kwargs":{},"call_id":"c001"},"channel":null,"timestamp":1795921087.439,"correlation_id":null}',
      '{"source":4,"data":[1,{"a":"b"}],"rpc":null,"channel":"c","timestamp":null,"correlation_id":"x"}',
      '{"source":5,"data":null,"rpc":{"type":"request","method":"m","args":[],"kwargs":{"k":1}},"channel":null,"timestamp":1,"correlation_id":null}',
      '{"rpc": {"type": "request", "method": "add", "args": [10, 20], "kwargs": {}}, "source": 5}',
      '{"source":4,"data":{"text":"hi","n":[1,2]}}',
      '{"source":2,"channel":"news.tech","correlation_id":"x","timestamp":null}',
      '{ "source" : 5 , "rpc" : { "method" : "m" , "type" : "request" } }',
      '{"source":5,"data":30,"rpc":{"type":"response","call_id":"c","response":30,"error":null,"is_stream":false,"is_end":false},"channel":null,"timestamp":1.5,"correlation_id":null}',
      '{"source":5,"rpc":{"type":"response","call_id":"c"}}',
      '{"source":5,"rpc":{"call_id":"c","error":-32601,"response":"RPC method \'x\' not found.","type":"response","is_end":true,"is_stream":true}}',
    ];
    for (const t of texts) expect(agrees(t), t).toBe(true);
    const assigned = decodeJsonPacket(utf8('{"source":5,"rpc":{"type":"request","method":"m"}}'));
    expect(assigned?.rpc).toMatchObject({ type: "request", method: "m", args: [], kwargs: {} });
    expect(typeof assigned?.rpc?.call_id).toBe("string");
  });

  it("steps aside for what the general path must judge", () => {
    const aside = [
      '{"source":5,"extra":1}', // unknown fields are allowed, but not here
      '{"source":5,"source":4}', // repeated
      '{"source":5,"rpc":{"type":"response"}}', // no call_id
      '{"source":5,"rpc":{"type":"response","call_id":"c","error":-1}}', // not an RPCErrorCode
      '{"source":5,"rpc":{"type":"response","call_id":"c","is_end":1}}',
      '{"source":5,"rpc":{"type":"response","call_id":"c","method":"m"}}', // a request's key
      '{"source":5,"rpc":{"type":"request","method":"m","response":1}}', // a response's key
      '{"source":5,"rpc":{"type":"other","call_id":"c"}}',
      '{"source":5,"rpc":{"type":"request"}}', // no method
      '{"source":5,"rpc":{"type":"request","method":1}}',
      '{"source":5,"rpc":{"type":"request","method":"m","args":{}}}',
      '{"source":5,"rpc":{"type":"request","method":"m","kwargs":[]}}',
      '{"source":9}', '{"source":1.5}', '{"source":"5"}', '{"data":1}', '{"source":5,"channel":3}', '{"source":5,"timestamp":"t"}',
      '{"source":5,"correlation_id":true}', '{"source":5,"data":"a\\nb"}', "[]", "5", '{"source":5}x',
    ];
    for (const t of aside) expect(decodeJsonPacket(utf8(t)), t).toBeUndefined();
  });

  const packets = fuzzCases(3_000);
  it(`agrees with the general path on ${count(packets)} random packets`, () => {
    const rand = prng(0x9ac);
    const keys = ["source", "data", "rpc", "channel", "timestamp", "correlation_id"];
    let fast = 0;
    for (let i = 0; i < packets; i++) {
      const request: Record<string, unknown> = { type: rand() < 0.95 ? "request" : "response", method: rand() < 0.95 ? "m" : 3 };
      if (rand() < 0.7) request.args = rand() < 0.9 ? [randomValue(rand, 2), 1] : { a: 1 };
      if (rand() < 0.7) request.kwargs = rand() < 0.9 ? { k: randomValue(rand, 2) } : [1];
      if (rand() < 0.7) request.call_id = rand() < 0.9 ? `c${i}` : 7;
      const response: Record<string, unknown> = { type: rand() < 0.95 ? "response" : "request" };
      if (rand() < 0.9) response.call_id = rand() < 0.95 ? `c${i}` : 7;
      if (rand() < 0.8) response.response = randomValue(rand, 2);
      if (rand() < 0.7) response.error = rand() < 0.5 ? null : rand() < 0.9 ? -32601 : -5;
      if (rand() < 0.7) response.is_stream = rand() < 0.95 ? rand() < 0.5 : "yes";
      if (rand() < 0.7) response.is_end = rand() < 0.95 ? rand() < 0.5 : 0;
      const all: Record<string, unknown> = {
        source: rand() < 0.9 ? 1 + Math.floor(rand() * 5) : rand() < 0.5 ? 0 : "5",
        data: randomValue(rand, 3),
        rpc: rand() < 0.4 ? request : rand() < 0.6 ? response : null,
        channel: rand() < 0.5 ? "ch" : rand() < 0.9 ? null : 1,
        timestamp: rand() < 0.5 ? 1_795_921_087.439 + rand() : null,
        correlation_id: rand() < 0.5 ? null : "id",
      };
      const packet: Record<string, unknown> = {};
      // A third in the usual layout (every field, declaration order: the constant-run path), the rest shuffled and thinned.
      const usual = rand() < 0.35;
      if (usual && all.rpc === response) {
        all.rpc = { type: response.type, call_id: response.call_id ?? "id", response: response.response ?? null, error: response.error ?? null, is_stream: response.is_stream ?? false, is_end: response.is_end ?? false };
      }
      if (usual && all.rpc === request) all.rpc = { type: request.type, method: request.method, args: request.args ?? [], kwargs: request.kwargs ?? {}, call_id: request.call_id ?? "id" };
      for (const k of usual ? keys : shuffle(rand, keys.slice())) if (usual || k === "source" || rand() < 0.8) packet[k] = all[k];
      const text = stringify(packet);
      if (text.length > 20_000) continue;
      const spaced = rand() < 0.3 ? text.replace(/([,:{[])/g, "$1 ") : text;
      if (agrees(spaced)) fast++;
    }
    expect(fast).toBeGreaterThan(packets / 6);
  });
});
