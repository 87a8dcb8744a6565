import { RPCErrorCode, rpcErrorMessage } from "@webshocket/protocol";
import type { ClientConnection } from "../connection.js";
import type { Logger } from "../logger.js";
import { bindArguments, noKeywords } from "./bindArguments.js";
import { logClientFault } from "./clientFaults.js";
import type { RpcEntry } from "./registry.js";

/**
 * The arguments to call `entry` with: the positional ones as sent when they fit (the usual call), else bound
 * with the keywords; then the `params` schemas. When they do not bind or validate, the INVALID_PARAMS message
 * (logged as a client fault) instead. Shared by dispatch and the middleware path.
 */
export function callArguments(logger: Logger, conn: ClientConnection, entry: RpcEntry, args: readonly unknown[], kwargs: Record<string, unknown>): readonly unknown[] | string {
  let problem: string | undefined;
  if (args.length < entry.minArgs || args.length > entry.maxArgs || !noKeywords(kwargs)) {
    const bound = bindArguments(entry.params, args, kwargs);
    if (bound.ok) args = bound.args;
    else problem = bound.problem;
  }
  if (problem === undefined && entry.validate !== undefined) problem = entry.validate(args);
  if (problem === undefined) return args;
  const message = `${rpcErrorMessage(RPCErrorCode.INVALID_PARAMS, entry.name)} ${entry.name}() ${problem}`;
  logClientFault(logger, conn, entry.name, message);
  return message;
}

/** Calls the method with the arguments as they are: lists of up to three without building a spread call. */
export function callMethod(entry: RpcEntry, target: object, conn: ClientConnection, args: readonly unknown[]): unknown {
  const fn = entry.fn;
  switch (args.length) {
    case 0: return fn.call(target, conn);
    case 1: return fn.call(target, conn, args[0]);
    case 2: return fn.call(target, conn, args[0], args[1]);
    case 3: return fn.call(target, conn, args[0], args[1], args[2]);
    default: return fn.call(target, conn, ...args);
  }
}
