import { RPCErrorCode } from "./enums.js";

/** One row of the RPC error table shared by client and server. */
export interface RPCErrorInfo {
  readonly code: RPCErrorCode;
  readonly name: keyof typeof RPCErrorCode;
  /** Human text with `{method}` standing for the method name. */
  readonly message: string;
}

/** The message the server sends for each code, `{method}` standing for the method name. */
const MESSAGES: Readonly<Record<RPCErrorCode, string>> = {
  [RPCErrorCode.METHOD_NOT_FOUND]: "RPC method '{method}' not found.",
  [RPCErrorCode.INVALID_PARAMS]: "Invalid parameters for RPC method '{method}'.",
  [RPCErrorCode.INTERNAL_SERVER_ERROR]: "Internal server error in RPC method '{method}'.",
  [RPCErrorCode.RATE_LIMIT_EXCEEDED]: "Rate limit exceeded for RPC method '{method}'.",
  [RPCErrorCode.APPLICATION_ERROR]: "RPC method '{method}' failed.",
  [RPCErrorCode.ACCESS_DENIED]: "Access denied for RPC method '{method}'.",
};

function table(): Record<RPCErrorCode, RPCErrorInfo> {
  const rows: Partial<Record<RPCErrorCode, RPCErrorInfo>> = {};
  for (const [key, message] of Object.entries(MESSAGES)) {
    const code = Number(key) as RPCErrorCode;
    rows[code] = { code, name: RPCErrorCode[code] as keyof typeof RPCErrorCode, message };
  }
  return rows as Record<RPCErrorCode, RPCErrorInfo>;
}

/**
 * The one table of RPC errors: code → name (the RPCErrorCode member) and the message the server
 * sends. Built from MESSAGES and the enum; pure, so a bundle that only needs messages leaves it out.
 */
export const RPC_ERRORS: Readonly<Record<RPCErrorCode, RPCErrorInfo>> = /* @__PURE__ */ table();

/** The standard message for an RPC error code about one method. */
export function rpcErrorMessage(code: RPCErrorCode, method: string): string {
  // A function, so `$&`, `$$` and friends in a method name are not replacement patterns.
  return MESSAGES[code].replace("{method}", () => method);
}

/** True when `value` is one of the RPC error codes. */
export function isRPCErrorCode(value: unknown): value is RPCErrorCode {
  return typeof value === "number" && Object.hasOwn(MESSAGES, value);
}
