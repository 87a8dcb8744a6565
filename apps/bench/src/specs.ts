/**
 * What the load generator sends to each server and what it looks for in the
 * answers, pre-encoded here (in Node, with the real codecs) and handed to the C
 * load generator as a spec file of hex lines (see loadgen/loadgen.c).
 */
import { SUBPROTOCOL, createRequest, jsonCodec, msgpackCodec } from "@webshocket/protocol";
import { pack as msgpackrPack } from "msgpackr";
import { FANOUT_MARKER } from "../servers/common.js";

/** How a client reaches a server. */
export interface Endpoint {
  /** Request path of the upgrade. */
  path: string;
  /** Sec-WebSocket-Protocol to offer (and require in the answer). */
  protocol?: string;
  /** Speak engine.io v4 / socket.io on top (open packet, CONNECT "40", pings "2" → "3"). */
  eio?: boolean;
}

export interface Frame {
  binary: boolean;
  payload: Uint8Array;
  /** Bytes the matching answer must contain. */
  needle?: Uint8Array;
}

export interface Spec {
  req?: Frame[];
  sub?: Frame;
  trigger?: Frame;
  /** Only messages starting with these bytes count (others are ignored). */
  accept?: Uint8Array;
  /** Every counted fan-out/stream message must contain these bytes. */
  deliver?: Uint8Array;
  /** The last stream message must contain these bytes. */
  end?: Uint8Array;
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const mp = (v: unknown): Uint8Array => msgpackCodec.encodeValue(v);
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** Request variants cycle through this many distinct (a, b, call id) triples. */
export const VARIANTS = 64;
/** The i-th add() call: a = i, b = 1000 + i. */
export const addArgs = (i: number): [number, number] => [i, 1000 + i];
const callId = (i: number): string => `c${String(i).padStart(3, "0")}`;

export const ENDPOINTS = {
  webshocketMsgpack: { path: "/", protocol: SUBPROTOCOL },
  webshocketJson: { path: "/" },
  socketio: { path: "/socket.io/?EIO=4&transport=websocket", eio: true },
  plain: { path: "/" },
} satisfies Record<string, Endpoint>;

// ---------- webshocket ----------

function webshocketRequest(json: boolean, method: string, args: unknown[], id: string): Uint8Array {
  const packet = createRequest(method, args, {}, id);
  return json ? jsonCodec.encode(packet) : msgpackCodec.encode(packet);
}

/**
 * How a request is written: `client`, as this library's clients write it; `seed`, the Python library's
 * browser snippet (JSON, `rpc` first, no `call_id`); `python-json`, every field in order with
 * json.dumps's default separators (`", "`, `": "`); `msgpackr`, msgpackr's default `pack` (map16
 * headers where a fixmap would do); `json-reordered`, compact JSON with the fields in another order
 * (`timestamp` first, `rpc` last, `call_id` first in it); `msgpack-reordered`, msgpack with minimal
 * headers, `rpc` first and no `call_id` (`method`, `args`, `kwargs`, `type`), then `source` and an
 * integer timestamp.
 */
export type RequestLayout = "client" | "seed" | "python-json" | "msgpackr" | "json-reordered" | "msgpack-reordered";

function requestIn(layout: RequestLayout, json: boolean, a: number, b: number, id: string): Uint8Array {
  switch (layout) {
    case "seed":
      return utf8(JSON.stringify({ rpc: { type: "request", method: "add", args: [a, b], kwargs: {} }, source: 5 }));
    case "python-json":
      return utf8(`{"source": 5, "data": null, "rpc": {"type": "request", "method": "add", "args": [${a}, ${b}], "kwargs": {}, "call_id": "${id}"}, "channel": null, "timestamp": 1700000000.5, "correlation_id": null}`);
    case "json-reordered":
      return utf8(JSON.stringify({ timestamp: 1_700_000_000.5, source: 5, rpc: { call_id: id, method: "add", args: [a, b], kwargs: {}, type: "request" } }));
    case "msgpack-reordered":
      return msgpackCodec.encodeValue({ rpc: { method: "add", args: [a, b], kwargs: {}, type: "request" }, source: 5, timestamp: 1_700_000_000 });
    case "msgpackr": {
      const p = createRequest("add", [a, b], {}, id);
      return msgpackrPack({ source: p.source, data: null, rpc: p.rpc, channel: null, timestamp: p.timestamp, correlation_id: null });
    }
    default:
      return webshocketRequest(json, "add", [a, b], id);
  }
}

/**
 * The bytes of a webshocket response that carry the call id and the result:
 * `"call_id": id, "response": result` (the wire writes these fields in this order).
 */
export function webshocketResultNeedle(json: boolean, id: string, result: unknown): Uint8Array {
  return json
    ? utf8(`"call_id":${JSON.stringify(id)},"response":${JSON.stringify(result)}`)
    : concat(mp("call_id"), mp(id), mp("response"), mp(result));
}

/**
 * add(a, b) from a webshocket client (msgpack or JSON) whose requests are written in `layout`: the answer
 * must carry the call id and a + b (the seed and msgpack-reordered layouts send no call id: their answers
 * must carry a + b, unique among the variants).
 */
export function webshocketAddSpec(json: boolean, layout: RequestLayout = "client"): Spec {
  const req: Frame[] = [];
  for (let i = 0; i < VARIANTS; i++) {
    const [a, b] = addArgs(i);
    const needle =
      layout === "seed" ? utf8(`"response":${a + b},`)
      : layout === "msgpack-reordered" ? concat(mp("response"), mp(a + b))
      : webshocketResultNeedle(json, callId(i), a + b);
    req.push({ binary: !json, payload: requestIn(layout, json, a, b, callId(i)), needle });
  }
  return { req };
}

export type WebshocketFanoutMode = "exact" | "wildcard" | "predicate";

export function webshocketFanoutSpec(mode: WebshocketFanoutMode, publishes: number): Spec {
  const channel = mode === "wildcard" ? "bench.*" : "bench";
  return {
    sub: { binary: true, payload: webshocketRequest(false, "join", [channel], "j"), needle: webshocketResultNeedle(false, "j", true) },
    trigger: { binary: true, payload: webshocketRequest(false, "pub", [publishes, mode], "p") },
    deliver: utf8(FANOUT_MARKER),
  };
}

export function webshocketStreamSpec(values: number): Spec {
  return {
    req: [{ binary: true, payload: webshocketRequest(false, "stream", [values], "s1") }],
    deliver: concat(mp("call_id"), mp("s1")),
    end: concat(mp("is_end"), mp(true)),
  };
}

// ---------- raw uWS / ws echo ----------

/** The webshocket msgpack requests, echoed back as they are: the answer must contain the call id. */
export function echoSpec(): Spec {
  const req: Frame[] = [];
  for (let i = 0; i < VARIANTS; i++) {
    const [a, b] = addArgs(i);
    req.push({ binary: true, payload: webshocketRequest(false, "add", [a, b], callId(i)), needle: concat(mp("call_id"), mp(callId(i))) });
  }
  return { req };
}

export function controlFanoutSpec(publishes: number, verb: "pub" | "pubpacket" = "pub"): Spec {
  return {
    sub: { binary: false, payload: utf8("!sub"), needle: utf8("ok") },
    trigger: { binary: false, payload: utf8(`!${verb} ${publishes}`) },
    deliver: utf8(FANOUT_MARKER),
  };
}

export function rawStreamSpec(values: number): Spec {
  return { req: [{ binary: false, payload: utf8(`!stream ${values}`) }], end: utf8("end") };
}

// ---------- socket.io ----------

/** `42<id>["add",a,b]` → `43<id>[a+b]` (engine.io message 4, socket.io EVENT 2 / ACK 3). */
export function socketIoAddSpec(): Spec {
  const req: Frame[] = [];
  for (let i = 0; i < VARIANTS; i++) {
    const [a, b] = addArgs(i);
    req.push({ binary: false, payload: utf8(`42${i}["add",${a},${b}]`), needle: utf8(`43${i}[${a + b}]`) });
  }
  return { req, accept: utf8("43") };
}

export function socketIoFanoutSpec(publishes: number): Spec {
  return {
    sub: { binary: false, payload: utf8('420["join","bench"]'), needle: utf8("430[true]") },
    trigger: { binary: false, payload: utf8(`421["pub",${publishes}]`) },
    accept: utf8("4"),
    deliver: utf8(`42["msg","${FANOUT_MARKER}`),
  };
}

// ---------- rpc-websockets ----------

export function rpcWebsocketsAddSpec(): Spec {
  const req: Frame[] = [];
  for (let i = 0; i < VARIANTS; i++) {
    const [a, b] = addArgs(i);
    req.push({
      binary: false,
      // id 0 would be taken for a notification (rpc-websockets tests `id || null`): ids start at 1
      payload: utf8(JSON.stringify({ jsonrpc: "2.0", method: "add", params: [a, b], id: i + 1 })),
      needle: utf8(`"result":${a + b},"id":${i + 1}}`),
    });
  }
  return { req };
}

/** An idle connection sends nothing. */
export const idleSpec: Spec = {};

/** The spec file the load generator reads. */
export function specText(spec: Spec): string {
  const lines: string[] = [];
  const frame = (key: string, f: Frame): string => `${key} ${f.binary ? "b" : "t"} ${hex(f.payload)} ${f.needle ? hex(f.needle) : "-"}`;
  for (const f of spec.req ?? []) lines.push(frame("req", f));
  if (spec.sub) lines.push(frame("sub", spec.sub));
  if (spec.trigger) lines.push(frame("trigger", spec.trigger));
  if (spec.accept) lines.push(`accept ${hex(spec.accept)}`);
  if (spec.deliver) lines.push(`deliver ${hex(spec.deliver)}`);
  if (spec.end) lines.push(`end ${hex(spec.end)}`);
  return lines.join("\n") + "\n";
}
