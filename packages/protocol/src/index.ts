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
