// Server
export { WebSocketServer } from "./server.js";
export type { TlsOptions, WebSocketServerOptions } from "./options.js";
export type { TrustProxy, TrustProxyOptions, TrustedProxies } from "./http/trustProxy.js";
export type { ServerStats } from "./runtime.js";
export type { BackpressureStats } from "./slowConsumers.js";
export type { EngineName } from "./engine/engine.js";
export type { EngineOption } from "./engine/engineOption.js";
export type { HttpServerLike } from "./http/httpServerLike.js";
export type { ShutdownSignal } from "./options.js";
export type { UwsModule } from "./engine/uws/loadUws.js";

// Handlers and connections
export { DefaultWebSocketHandler, WebSocketHandler, type DeliveryOptions } from "./handler.js";
export type { ChannelMap, ChannelName, ChannelPattern, ChannelPayload } from "@webshocket/protocol";
export { ClientConnection, isPacket } from "./connection.js";

// RPC
export { rpcMethod, getRpcMethodOptions, type RpcMethodDecorator, type RpcMethodOptions } from "./rpc/rpcMethod.js";
export { rpc, type RpcField, type RpcInfo } from "./rpc/rpc.js";
export type { CheckedMethod, ParamsSchema, StaticParams } from "./rpc/rpcTypes.js";
export { asyncApiDocument, type AsyncApiInfo, type AsyncApiServer, type ChannelDescription } from "./asyncapi/asyncApiDocument.js";
export { CANCEL_METHOD } from "./rpc/dispatch.js";
export { channel, getChannelDeclaration, type ChannelDecorator, type ChannelOptions } from "./channels/channelDeclaration.js";
export { SUBSCRIBE_METHOD, UNSUBSCRIBE_METHOD } from "./channels/clientSubscriptions.js";

// Scale-out
export type { Broker } from "./broker/broker.js";
export { LocalBroker } from "./broker/localBroker.js";
export type { Delivery } from "./channels/fanout.js";
export { resolveHistory, type HistoryOptions, type ResolvedHistory } from "./history/historyOptions.js";
export type { HistoryPosition, HistoryQuery, HistoryResult } from "./history/channelHistory.js";
export type { Publication } from "./history/historyRing.js";
export type { HistoryStore } from "./history/historyStore.js";
export { HISTORY_METHOD } from "./history/historyControl.js";
export type { ChannelStats } from "./channels/channelRegistry.js";
// Sessions shared by the nodes of a cluster (resume.store)
export type { SessionSnapshot, SharedSessionStore, SharedTake } from "./session/sharedSessionStore.js";
export { parseSnapshot } from "./session/sharedSessionStore.js";
export { MemorySharedSessionStore } from "./session/memorySharedSessionStore.js";
export type { ResumeFailure } from "./session/sessionStore.js";

// Logging
export { defaultLogger, silentLogger, type Logger } from "./logger.js";

// Re-exports so one import serves a typical server
export { All, Any, Has, Is, IsEqual, Not, rateLimit } from "@webshocket/guards";
export { ClientType, ConnectionState, PacketSource, RPCError, RPCErrorCode, ServerState, type Packet } from "@webshocket/protocol";

// Handshake security
export { HandshakeRejection, type AllowedOrigins, type Authenticate, type HandshakeRequest } from "./handshake.js";

// Serving pages from the same port
export { loadStaticFiles, serveStatic, staticFile, type ServesFiles, type StaticFile } from "./http/serveStatic.js";

// Middleware, health and HTTP routes
export type { CallContext, ConnectionContext, Middleware, MiddlewareHost, MiddlewareLike, Next, ServerFigures, ServerObserver } from "./middleware/middleware.js";
export type { HttpAnswer, HttpRoute } from "./http/httpRoute.js";
export type { HealthOptions } from "./options.js";
