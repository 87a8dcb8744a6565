// Enums and constants
export { ClientType, CloseCode, ConnectionState, PacketSource, RPCErrorCode, ServerState, SUBPROTOCOL } from "./enums.js";

// Packets
export {
  PacketSchema,
  RPCRequestSchema,
  RPCResponseSchema,
  createPacket,
  createRequest,
  createResponse,
  isRequestPacket,
  isResponsePacket,
  nowTimestamp,
  holdTimestamp,
  releaseTimestamp,
  type Packet,
  type PacketFields,
  type PacketInput,
  type RPCRequest,
  type RPCResponse,
} from "./packet.js";

// Validation
export { compileChecker, exceedsDepth, MAX_DEPTH, toPacket, unknownPacket, type DecodeResult } from "./validate.js";
export { isPacketInput } from "./packetGuard.js";
export { checkedPacket } from "./checkedPacket.js";

// Codecs
export {
  codecFor,
  jsonCodec,
  msgpackCodec,
  orderedPacket,
  parseJson,
  stringifyJson,
  type Codec,
  type RawMessage,
} from "./codecs/index.js";
// Client codecs: small, no schema compiler, no msgpackr
export { jsonWire } from "./codecs/jsonWire.js";
export { msgpackWire } from "./codecs/msgpackWire.js";
export { packMsgpack } from "./codecs/packMsgpack.js";
export type { WireCodec } from "./codecs/wireCodec.js";

// Errors
export {
  ConnectionClosedError,
  ConnectionError,
  ConnectionFailedError,
  InvalidURIError,
  MessageError,
  PacketError,
  PacketValidationError,
  RateLimitError,
  ReceiveTimeoutError,
  RPCError,
  RPCMethodNotFoundError,
  RPCTimeoutError,
  StreamOverflowError,
  TimeoutError,
  WebSocketError,
  type RPCErrorOptions,
  type WebSocketErrorCode,
  type WebSocketErrorOptions,
} from "./errors.js";
export { isRPCErrorCode, RPC_ERRORS, rpcErrorMessage, type RPCErrorInfo } from "./errorTable.js";

// Utilities
export { DURATION_FORMATS, parseDuration } from "./duration.js";
export { randomId } from "./ids.js";

// Push payload types (channel maps with fnmatch keys), shared by the server handler and typed clients
export type { ChannelMap, ChannelName, ChannelPattern, ChannelPayload } from "./channelTypes.js";
