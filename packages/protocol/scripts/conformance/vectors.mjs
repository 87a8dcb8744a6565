// @ts-check
/** @typedef {typeof import("../../src/index.js")} Protocol */
/** @typedef {import("../../src/index.js").Packet} Packet */

/** Fixed values, so the vectors never change from one run to the next. */
export const T = 1_700_000_000;
export const CALL_ID = "6f1c2a4e-8b0d-4c3e-9a57-0d2b1e4f5a60";
/** The call id of a control request ($cancel, $credit) about the call CALL_ID. */
export const CONTROL_ID = "0b7e4d2c-3f9a-4e1b-8c6d-5a2f1e0d9c8b";

/**
 * The valid packets every binding must encode and decode. Each value is built
 * with the package's own builders, so the vectors show what webshocket sends.
 * @param {Protocol} p
 * @returns {Array<{ name: string, description: string, packet: Packet }>}
 */
export function vectorCases(p) {
  const { PacketSource: S, RPCErrorCode: E } = p;
  /** @param {Packet} packet @param {number | null} [timestamp] */
  const at = (packet, timestamp = T) => ({ ...packet, timestamp });
  const errorCodes = /** @type {Array<[string, import("../../src/index.js").RPCErrorCode]>} */ (
    Object.entries(E).filter(([, v]) => typeof v === "number")
  );
  return [
    {
      name: "request/seed-add",
      description: "The seed README's add(10, 20), with the defaults an encoder writes out.",
      packet: at(p.createRequest("add", [10, 20], {}, CALL_ID)),
    },
    {
      name: "request/all-fields",
      description: "A request with every field set.",
      packet: {
        source: S.RPC,
        data: { trace: "t-1" },
        rpc: {
          type: "request",
          method: "user.update",
          args: [1, "two", true, null, [3]],
          kwargs: { name: "Ada", tags: ["x", "y"], nested: { deep: { n: -1 } } },
          call_id: CALL_ID,
        },
        channel: "rpc",
        timestamp: T,
        correlation_id: "corr-42",
      },
    },
    {
      name: "response/result",
      description: "The answer to add(10, 20): the result in rpc.response (once; data is null).",
      packet: at(p.createResponse(CALL_ID, 30)),
    },
    {
      name: "response/result-object",
      description: "A structured result.",
      packet: at(p.createResponse(CALL_ID, { user: { id: 7, name: "Ada" }, roles: ["admin"] })),
    },
    ...errorCodes.map(([name, code]) => ({
      name: `response/error/${name}`,
      description: `An error response: error ${code}, the message string in rpc.response (data is null).`,
      packet: at(p.createResponse(CALL_ID, p.rpcErrorMessage(code, "add"), { error: code })),
    })),
    {
      name: "stream/chunk",
      description: "One chunk of a streaming call: is_stream true, is_end false.",
      packet: at(p.createResponse(CALL_ID, 1, { isStream: true })),
    },
    {
      name: "stream/end",
      description: "The end of a streaming call: is_end true, response null.",
      packet: at(p.createResponse(CALL_ID, null, { isStream: true, isEnd: true })),
    },
    {
      name: "stream/error",
      description: "A stream ended by an error: is_end true and error set.",
      packet: at(p.createResponse(CALL_ID, "RPC method 'count_to' failed.", { error: E.APPLICATION_ERROR, isStream: true, isEnd: true })),
    },
    {
      name: "control/credit-window",
      description:
        "Flow control: $credit(call_id, 64) sent just ahead of the stream request with that call_id lets the server send 64 chunks before more credit; answered false (kept for the request).",
      packet: at(p.createRequest("$credit", [CALL_ID, 64], {}, CONTROL_ID)),
    },
    {
      name: "control/credit-grant",
      description: "Flow control: $credit(call_id, 32) while the stream runs grants 32 more chunks; answered true.",
      packet: at(p.createRequest("$credit", [CALL_ID, 32], {}, CONTROL_ID)),
    },
    {
      name: "control/credit-granted",
      description: "The answer to a $credit that credited a running stream (false: it was kept as the next request's window).",
      packet: at(p.createResponse(CONTROL_ID, true)),
    },
    {
      name: "control/cancel",
      description: "$cancel(call_id): stops one of the caller's streams; answered true when one was stopped, false otherwise.",
      packet: at(p.createRequest("$cancel", [CALL_ID], {}, CONTROL_ID)),
    },
    {
      name: "control/bad-arguments",
      description: "The answer to $cancel or $credit with bad arguments (here $credit(call_id, 0)): INVALID_PARAMS, like any method's.",
      packet: at(
        p.createResponse(CONTROL_ID, "Invalid parameters for RPC method '$credit'. $credit() expects [call_id: string, chunks: integer >= 1]", {
          error: E.INVALID_PARAMS,
        }),
      ),
    },
    {
      name: "control/session",
      description: "Session resumption (§11): the first message to a client that opted in with ?resume= — its resume token, whether its session was resumed, why not, and the window in seconds.",
      packet: at(p.createResponse("$session", { token: "q2X0c9m1Vb7kLr4TzN8wPe3J", recovered: true, reason: null, window: 120 }, { isEnd: true })),
    },
    {
      name: "control/session-fresh",
      description: "Session resumption (§11): a resume that failed (here the window had passed): a fresh session, told why.",
      packet: at(p.createResponse("$session", { token: "Hf5nY2aQ8sWc1Ld7Kp0Rz3Tu", recovered: false, reason: "expired", window: 120 }, { isEnd: true })),
    },
    {
      name: "control/session-moved",
      description: "Session resumption (§11.8): the session was restored on another node from a shared store — id, state and subscriptions, no replay; numbering starts again at 1, channel messages are recovered by position with $history.",
      packet: at(p.createResponse("$session", { token: "Zu4Gm7Qe2Rx9Lk1Vc5Np8Wb0", recovered: true, reason: "moved", window: 120 }, { isEnd: true })),
    },
    {
      name: "control/subscribe",
      description:
        "$subscribe(channel_or_pattern): the client asks to join a channel or fnmatch pattern; answered with the channel's initial value (null when it has none) once the server authorized it.",
      packet: at(p.createRequest("$subscribe", ["news.tech"], {}, CONTROL_ID)),
    },
    {
      name: "control/subscribed",
      description: "The answer to an authorized $subscribe: the initial value the server's channel declaration gave (here an object).",
      packet: at(p.createResponse(CONTROL_ID, { headline: "Welcome" })),
    },
    {
      name: "control/subscribe-denied",
      description: "The answer to a $subscribe the server does not authorize: ACCESS_DENIED, the message naming the channel.",
      packet: at(p.createResponse(CONTROL_ID, "Access denied for channel 'news.tech'.", { error: E.ACCESS_DENIED })),
    },
    {
      name: "control/unsubscribe",
      description: "$unsubscribe(channel_or_pattern): leaves it; answered true when the client was subscribed to exactly that name, false otherwise.",
      packet: at(p.createRequest("$unsubscribe", ["news.tech"], {}, CONTROL_ID)),
    },
    {
      name: "control/history",
      description:
        "$history(channel, since_epoch, since_offset, limit?): the channel's publications after a position (null, null: the newest ones kept), at most limit; authorized like $subscribe.",
      packet: at(p.createRequest("$history", ["news.tech", "Zk3xQ9bT1mYp", 41, 100], {}, CONTROL_ID)),
    },
    {
      name: "control/history-result",
      description:
        "The answer to $history: the history's epoch, the channel's newest offset, the publications after the position (oldest first), and recovered (false, with no publications, when the position is no longer available).",
      packet: at(
        p.createResponse(CONTROL_ID, {
          epoch: "Zk3xQ9bT1mYp",
          offset: 43,
          publications: [
            { offset: 42, data: { headline: "New CPU released" } },
            { offset: 43, data: { headline: "New GPU released" } },
          ],
          recovered: true,
        }),
      ),
    },
    {
      name: "channel",
      description: "A packet published to a channel: source 2 with the channel name.",
      packet: p.createPacket(S.CHANNEL, { channel: "news.tech", data: { headline: "New CPU released" }, timestamp: T }),
    },
    {
      name: "channel/positioned",
      description:
        "A channel message to a client that opted in with ?positions (§12): one more field, position [epoch, offset], the publication's place in the channel's history. Never sent to clients that did not opt in.",
      packet: p.createPacket(S.CHANNEL, { channel: "news.tech", data: { headline: "New CPU released" }, timestamp: T, position: ["Zk3xQ9bT1mYp", 42] }),
    },
    {
      name: "broadcast",
      description: "A packet broadcast to every client: source 1.",
      packet: p.createPacket(S.BROADCAST, { data: "Server is shutting down in 5 minutes", timestamp: T }),
    },
    {
      name: "custom",
      description: "A packet the server sent on its own: source 4.",
      packet: p.createPacket(S.CUSTOM, { data: { status: "success" }, timestamp: T }),
    },
    {
      name: "nulls",
      description: "Every nullable field null, and nulls inside data.",
      packet: p.createPacket(S.CUSTOM, { data: { a: null, list: [null, 1, null], nested: { b: null } }, timestamp: null }),
    },
    {
      name: "unicode",
      description: "Non-ASCII text in keys and values: written as raw UTF-8 in both formats.",
      packet: p.createPacket(S.CUSTOM, {
        data: {
          emoji: "😀👍🏽👩‍💻",
          cjk: "漢字 かな 한국어",
          rtl: "مرحبا שלום",
          combining: "e\u0301",
          escapes: "quote \" backslash \\ slash / tab \t newline \n nul \u0000",
          "ключ": "значение",
        },
        timestamp: T,
      }),
    },
    {
      name: "bytes",
      description: "Bytes: msgpack bin; JSON base64 text (which JSON readers get back as a string).",
      packet: p.createPacket(S.CUSTOM, {
        data: {
          blob: Uint8Array.from([0, 1, 2, 253, 254, 255]),
          empty: new Uint8Array(0),
          bin16: Uint8Array.from({ length: 300 }, (_, i) => i % 256),
        },
        timestamp: T,
      }),
    },
    {
      name: "integers/widths",
      description: "Integers at every msgpack width boundary that JavaScript numbers use.",
      packet: p.createPacket(S.CUSTOM, {
        data: [0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295, -1, -32, -33, -128, -129, -32768, -32769, -2147483648],
        timestamp: T,
      }),
    },
    {
      name: "integers/bigint",
      description: "Integers beyond ±2^53: exact 64-bit integers, bigint in JavaScript.",
      packet: p.createPacket(S.CUSTOM, {
        data: {
          above_2_53: 2n ** 53n + 1n,
          below_minus_2_53: -(2n ** 53n) - 1n,
          int64_max: 2n ** 63n - 1n,
          int64_min: -(2n ** 63n),
          uint64_max: 2n ** 64n - 1n,
        },
        timestamp: T,
      }),
    },
    {
      name: "nested",
      description: "Maps and arrays inside each other, empty ones included.",
      packet: p.createPacket(S.CUSTOM, {
        data: { a: { b: { c: { d: [{ e: {} }, [], [[1, [2, [3]]]]] } } }, empty_map: {}, empty_list: [] },
        timestamp: T,
      }),
    },
    {
      name: "sizes",
      description: "Strings, arrays and maps on both sides of msgpack's header-size boundaries.",
      packet: p.createPacket(S.CUSTOM, {
        data: {
          fixstr31: "a".repeat(31),
          str8_32: "b".repeat(32),
          str8_255: "c".repeat(255),
          str16_256: "d".repeat(256),
          str8_multibyte: "é".repeat(16),
          fixarray15: new Array(15).fill(0),
          array16: new Array(16).fill(0),
          fixmap15: Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`k${i}`, i])),
          map16: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i])),
        },
        timestamp: T,
      }),
    },
    {
      name: "floats",
      description: "Floats, always float64 in msgpack, shortest round-trip text in JSON.",
      packet: p.createPacket(S.CUSTOM, {
        data: [0.5, -1.25, 0.1, 3.141592653589793, 1e-300, 5e-324, 1.7976931348623157e308],
        timestamp: 1_700_000_000.25,
      }),
    },
    ...integerWidths(p, S, T),
    {
      name: "numbers/beyond-2^53",
      description: "JavaScript numbers beyond 2^53 - 1 are floats: msgpack float64, and JSON digits with .0.",
      packet: p.createPacket(S.CUSTOM, { data: [2 ** 53, -(2 ** 53), 2 ** 60], timestamp: T }),
    },
  ];
}

/**
 * One vector per msgpack integer format, each with the smallest and largest value
 * it takes (JavaScript numbers up to 2^53 - 1; uint64 and int64 stop there).
 * @param {Protocol} p
 * @param {Protocol["PacketSource"]} S
 * @param {number} T
 */
function integerWidths(p, S, T) {
  /** @type {Array<[string, string, number[]]>} */
  const widths = [
    ["positive-fixint", "0x00-0x7f", [0, 127]],
    ["uint8", "0xcc", [128, 255]],
    ["uint16", "0xcd", [256, 65535]],
    ["uint32", "0xce", [65536, 4294967295]],
    ["uint64", "0xcf", [4294967296, 9007199254740991]],
    ["negative-fixint", "0xe0-0xff", [-1, -32]],
    ["int8", "0xd0", [-33, -128]],
    ["int16", "0xd1", [-129, -32768]],
    ["int32", "0xd2", [-32769, -2147483648]],
    ["int64", "0xd3", [-2147483649, -9007199254740991]],
  ];
  return widths.map(([name, format, data]) => ({
    name: `integers/${name}`,
    description: `Integers written as msgpack ${format} (the smallest format that fits, as msgspec writes), JSON digits.`,
    packet: p.createPacket(S.CUSTOM, { data, timestamp: T }),
  }));
}
