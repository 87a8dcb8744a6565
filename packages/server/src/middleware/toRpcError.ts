import { RPCError } from "@webshocket/protocol";
import type { ClientConnection } from "../connection.js";
import { logClientFault } from "../rpc/clientFaults.js";
import type { DispatchContext } from "../rpc/dispatch.js";
import { errorReply } from "../rpc/respond.js";

/** A thrown value as the RPCError the client is answered with; unexpected ones are reported to `onError`. */
export function toRpcError(ctx: DispatchContext, conn: ClientConnection, method: string, err: unknown, report = true): RPCError {
  const reply = errorReply(err, method);
  if (report && reply.internal) ctx.reportError(err, conn);
  else if (report && reply.clientFault) logClientFault(ctx.logger, conn, method, reply.message);
  return err instanceof RPCError ? err : new RPCError(reply.message, { rpcCode: reply.code, cause: err });
}

