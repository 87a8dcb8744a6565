// Everything both entry points (Node and browser) export besides WebSocketClient.
export {
  ConnectionClosedError,
  ConnectionError,
  ConnectionFailedError,
  ConnectionState,
  createPacket,
  InvalidURIError,
  PacketError,
  PacketSource,
  RateLimitError,
  ReceiveTimeoutError,
  RPCError,
  RPCErrorCode,
  RPCMethodNotFoundError,
  RPCTimeoutError,
  StreamOverflowError,
  SUBPROTOCOL,
  TimeoutError,
  WebSocketError,
  type Packet,
  type RPCRequest,
  type RPCResponse,
} from "@webshocket/protocol";
export { BaseClient } from "./client.js";
export type { ClientEvents } from "./clientEvents.js";
export type { Listener } from "./emitter.js";
export {
  DEFAULTS,
  type ClientOptions,
  type ConnectOptions,
  type CallOptions,
  type StreamOptions,
  type Duration,
  type DurationString,
  type ReconnectOptions,
  type TlsOptions,
} from "./options.js";
export { CANCEL_METHOD, CREDIT_METHOD } from "./pending.js";
export { backoffDelay, type RetryInfo } from "./retry.js";
export { RpcStream } from "./stream.js";
export { SUBSCRIBE_METHOD, UNSUBSCRIBE_METHOD, type ChannelListener, type SubscribeOptions, type Subscription } from "./subscriptions.js";
export type { WebSocketConstructor, WebSocketLike } from "./transport/types.js";
export type { HandlerBaseKeys, RemoteApi, RemoteMethod, RemoteMethodNames, TypedOptions } from "./typed.js";
