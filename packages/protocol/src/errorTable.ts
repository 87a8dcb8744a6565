import { RPCErrorCode } from "./enums.js";

/** One row of the RPC error table shared by client and server. */
export interface RPCErrorInfo {
  readonly code: RPCErrorCode;
  readonly name: keyof typeof RPCErrorCode;
  /** Human text with `{method}` standing for the method name. */
  readonly message: string;
}

/** The one table of RPC errors: code → name and the message the server sends. */
export const RPC_ERRORS: Readonly<Record<RPCErrorCode, RPCErrorInfo>> = {
  [RPCErrorCode.METHOD_NOT_FOUND]: {
    code: RPCErrorCode.METHOD_NOT_FOUND,
    name: "METHOD_NOT_FOUND",
    message: "RPC method '{method}' not found.",
  },
  [RPCErrorCode.INVALID_PARAMS]: {
    code: RPCErrorCode.INVALID_PARAMS,
    name: "INVALID_PARAMS",
    message: "Invalid parameters for RPC method '{method}'.",
  },
  [RPCErrorCode.INTERNAL_SERVER_ERROR]: {
    code: RPCErrorCode.INTERNAL_SERVER_ERROR,
    name: "INTERNAL_SERVER_ERROR",
    message: "Internal server error in RPC method '{method}'.",
  },
  [RPCErrorCode.RATE_LIMIT_EXCEEDED]: {
    code: RPCErrorCode.RATE_LIMIT_EXCEEDED,
    name: "RATE_LIMIT_EXCEEDED",
    message: "Rate limit exceeded for RPC method '{method}'.",
  },
  [RPCErrorCode.APPLICATION_ERROR]: {
    code: RPCErrorCode.APPLICATION_ERROR,
    name: "APPLICATION_ERROR",
    message: "RPC method '{method}' failed.",
  },
  [RPCErrorCode.ACCESS_DENIED]: {
    code: RPCErrorCode.ACCESS_DENIED,
    name: "ACCESS_DENIED",
    message: "Access denied for RPC method '{method}'.",
  },
};

/** The standard message for an RPC error code about one method. */
export function rpcErrorMessage(code: RPCErrorCode, method: string): string {
  // A function, so `$&`, `$$` and friends in a method name are not replacement patterns.
  return RPC_ERRORS[code].message.replace("{method}", () => method);
}

/** True when `value` is one of the RPC error codes. */
export function isRPCErrorCode(value: unknown): value is RPCErrorCode {
  return typeof value === "number" && Object.hasOwn(RPC_ERRORS, value);
}
