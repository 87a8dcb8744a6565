/** Who is measured in each section, with which server process and which spec. */
import type { ServerName } from "./serverProcess.js";
import {
  ENDPOINTS,
  controlFanoutSpec,
  echoSpec,
  rawStreamSpec,
  rpcWebsocketsAddSpec,
  socketIoAddSpec,
  socketIoFanoutSpec,
  webshocketAddSpec,
  webshocketFanoutSpec,
  webshocketStreamSpec,
  type Endpoint,
  type Spec,
} from "./specs.js";

export interface Target {
  /** Stable id (used by --targets and in the tables' ratios). */
  id: string;
  label: string;
  server: ServerName;
  endpoint: Endpoint;
}

export interface RpcTarget extends Target {
  spec: () => Spec;
}
export interface FanoutTarget extends Target {
  spec: (publishes: number) => Spec;
}
export interface StreamTarget extends Target {
  spec: (values: number) => Spec;
}

/** Ratios are given against these two. */
export const RAW = "uws-raw";
export const SOCKETIO = "socketio-uws";
/** The ws engine's rows are compared with these: the bare `ws` server (its ceiling) and the libraries that run on ws. */
export const WS = "ws-loop";
export const SOCKETIO_DEFAULT = "socketio-default";
export const RPC_WEBSOCKETS = "rpc-websockets";
/** The prefix of the ids of webshocket on the ws engine. */
export const WS_ENGINE_PREFIX = "webshocket-ws-";

export const RPC_TARGETS: RpcTarget[] = [
  { id: "webshocket-msgpack", label: "webshocket, msgpack client", server: "webshocket", endpoint: ENDPOINTS.webshocketMsgpack, spec: () => webshocketAddSpec(false) },
  { id: "webshocket-json", label: "webshocket, JSON client", server: "webshocket", endpoint: ENDPOINTS.webshocketJson, spec: () => webshocketAddSpec(true) },
  { id: "webshocket-msgpack-msgpackr", label: "webshocket, msgpack requests from msgpackr's default pack", server: "webshocket", endpoint: ENDPOINTS.webshocketMsgpack, spec: () => webshocketAddSpec(false, "msgpackr") },
  { id: "webshocket-json-seed", label: "webshocket, JSON requests as the seed's browser snippet writes them", server: "webshocket", endpoint: ENDPOINTS.webshocketJson, spec: () => webshocketAddSpec(true, "seed") },
  { id: "webshocket-json-python", label: "webshocket, JSON requests with json.dumps's separators", server: "webshocket", endpoint: ENDPOINTS.webshocketJson, spec: () => webshocketAddSpec(true, "python-json") },
  { id: "webshocket-json-reordered", label: "webshocket, JSON requests with the fields in another order (rpc last, call_id first in it)", server: "webshocket", endpoint: ENDPOINTS.webshocketJson, spec: () => webshocketAddSpec(true, "json-reordered") },
  { id: "webshocket-msgpack-reordered", label: "webshocket, msgpack requests with the fields in another order and no call_id", server: "webshocket", endpoint: ENDPOINTS.webshocketMsgpack, spec: () => webshocketAddSpec(false, "msgpack-reordered") },
  { id: "webshocket-ws-msgpack", label: "webshocket on the ws engine, msgpack client", server: "webshocket-ws", endpoint: ENDPOINTS.webshocketMsgpack, spec: () => webshocketAddSpec(false) },
  { id: "webshocket-ws-json", label: "webshocket on the ws engine, JSON client", server: "webshocket-ws", endpoint: ENDPOINTS.webshocketJson, spec: () => webshocketAddSpec(true) },
  { id: "webshocket-ws-msgpack-msgpackr", label: "webshocket on the ws engine, msgpack requests from msgpackr's default pack", server: "webshocket-ws", endpoint: ENDPOINTS.webshocketMsgpack, spec: () => webshocketAddSpec(false, "msgpackr") },
  { id: "webshocket-ws-json-seed", label: "webshocket on the ws engine, JSON requests as the seed's browser snippet writes them", server: "webshocket-ws", endpoint: ENDPOINTS.webshocketJson, spec: () => webshocketAddSpec(true, "seed") },
  { id: "webshocket-ws-json-python", label: "webshocket on the ws engine, JSON requests with json.dumps's separators", server: "webshocket-ws", endpoint: ENDPOINTS.webshocketJson, spec: () => webshocketAddSpec(true, "python-json") },
  { id: "webshocket-ws-json-reordered", label: "webshocket on the ws engine, JSON requests with the fields in another order (rpc last, call_id first in it)", server: "webshocket-ws", endpoint: ENDPOINTS.webshocketJson, spec: () => webshocketAddSpec(true, "json-reordered") },
  { id: "webshocket-ws-msgpack-reordered", label: "webshocket on the ws engine, msgpack requests with the fields in another order and no call_id", server: "webshocket-ws", endpoint: ENDPOINTS.webshocketMsgpack, spec: () => webshocketAddSpec(false, "msgpack-reordered") },
  { id: "socketio-uws", label: "socket.io 4, uWS engine (attachApp), emit+ack", server: "socketio-uws", endpoint: ENDPOINTS.socketio, spec: socketIoAddSpec },
  { id: "socketio-default", label: "socket.io 4, default engine, emit+ack", server: "socketio-default", endpoint: ENDPOINTS.socketio, spec: socketIoAddSpec },
  { id: "rpc-websockets", label: "rpc-websockets (JSON-RPC 2.0)", server: "rpc-websockets", endpoint: ENDPOINTS.plain, spec: rpcWebsocketsAddSpec },
  { id: "ws-loop", label: "bare ws echo of the same bytes (ceiling on ws)", server: "ws-loop", endpoint: ENDPOINTS.plain, spec: echoSpec },
  { id: "uws-raw", label: "raw uWS echo of the same bytes (ceiling)", server: "uws-raw", endpoint: ENDPOINTS.plain, spec: echoSpec },
];

export const FANOUT_TARGETS: FanoutTarget[] = [
  { id: "webshocket-exact", label: "webshocket publish, exact channel", server: "webshocket", endpoint: ENDPOINTS.webshocketMsgpack, spec: (n) => webshocketFanoutSpec("exact", n) },
  { id: "webshocket-wildcard", label: "webshocket publish, wildcard subscribers (bench.*)", server: "webshocket", endpoint: ENDPOINTS.webshocketMsgpack, spec: (n) => webshocketFanoutSpec("wildcard", n) },
  { id: "webshocket-predicate", label: "webshocket publish with a predicate", server: "webshocket", endpoint: ENDPOINTS.webshocketMsgpack, spec: (n) => webshocketFanoutSpec("predicate", n) },
  { id: "webshocket-ws-exact", label: "webshocket on the ws engine, exact channel", server: "webshocket-ws", endpoint: ENDPOINTS.webshocketMsgpack, spec: (n) => webshocketFanoutSpec("exact", n) },
  { id: "webshocket-ws-wildcard", label: "webshocket on the ws engine, wildcard subscribers (bench.*)", server: "webshocket-ws", endpoint: ENDPOINTS.webshocketMsgpack, spec: (n) => webshocketFanoutSpec("wildcard", n) },
  { id: "webshocket-ws-predicate", label: "webshocket on the ws engine, with a predicate", server: "webshocket-ws", endpoint: ENDPOINTS.webshocketMsgpack, spec: (n) => webshocketFanoutSpec("predicate", n) },
  { id: "socketio-uws", label: "socket.io room emit, uWS engine", server: "socketio-uws", endpoint: ENDPOINTS.socketio, spec: socketIoFanoutSpec },
  { id: "socketio-default", label: "socket.io room emit, default engine", server: "socketio-default", endpoint: ENDPOINTS.socketio, spec: socketIoFanoutSpec },
  { id: "ws-loop", label: "ws, send loop over subscribers", server: "ws-loop", endpoint: ENDPOINTS.plain, spec: controlFanoutSpec },
  { id: "uws-raw", label: "raw uWS topic publish (ceiling)", server: "uws-raw", endpoint: ENDPOINTS.plain, spec: (n) => controlFanoutSpec(n) },
  { id: "uws-raw-packet", label: "raw uWS topic publish of webshocket's packet bytes (diagnostic)", server: "uws-raw", endpoint: ENDPOINTS.plain, spec: (n) => controlFanoutSpec(n, "pubpacket") },
];

export const MEMORY_TARGETS: Target[] = [
  { id: "webshocket-msgpack", label: "webshocket (msgpack clients)", server: "webshocket", endpoint: ENDPOINTS.webshocketMsgpack },
  { id: "webshocket-ws-msgpack", label: "webshocket on the ws engine (msgpack clients)", server: "webshocket-ws", endpoint: ENDPOINTS.webshocketMsgpack },
  { id: "socketio-uws", label: "socket.io 4, uWS engine", server: "socketio-uws", endpoint: ENDPOINTS.socketio },
  { id: "socketio-default", label: "socket.io 4, default engine", server: "socketio-default", endpoint: ENDPOINTS.socketio },
  { id: "rpc-websockets", label: "rpc-websockets", server: "rpc-websockets", endpoint: ENDPOINTS.plain },
  { id: "ws-loop", label: "ws (bare)", server: "ws-loop", endpoint: ENDPOINTS.plain },
  { id: "uws-raw", label: "raw uWS", server: "uws-raw", endpoint: ENDPOINTS.plain },
];

export const STREAM_TARGETS: StreamTarget[] = [
  { id: "webshocket-msgpack", label: "webshocket streaming RPC (async generator), msgpack", server: "webshocket", endpoint: ENDPOINTS.webshocketMsgpack, spec: webshocketStreamSpec },
  { id: "webshocket-ws-msgpack", label: "webshocket on the ws engine, streaming RPC, msgpack", server: "webshocket-ws", endpoint: ENDPOINTS.webshocketMsgpack, spec: webshocketStreamSpec },
  { id: "uws-raw", label: "raw uWS send loop with backpressure (ceiling)", server: "uws-raw", endpoint: ENDPOINTS.plain, spec: rawStreamSpec },
];
