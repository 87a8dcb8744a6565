import { SpanKind, SpanStatusCode, context, trace, type Context, type Tracer } from "@opentelemetry/api";
import type { CallContext, Middleware, Next } from "../middleware/middleware.js";
import { UNKNOWN_METHOD } from "../metrics/callStats.js";
import { parseTraceparent } from "./traceparent.js";

/** Options of `tracing()`. */
export interface TracingOptions {
  /** The tracer spans come from. Default: `trace.getTracer("@webshocket/server")` (the global provider's). */
  tracer?: Tracer;
  /** Take the parent from the request's `traceparent` (sent by clients with the `traceparent` option). Default: true. */
  trustTraceparent?: boolean;
}

/** The parent context of a call: the client's trace when it sent one, else the active context. */
function parentOf(ctx: CallContext, trust: boolean): Context {
  const active = context.active();
  const parent = trust ? parseTraceparent(ctx.traceparent) : undefined;
  return parent === undefined ? active : trace.setSpanContext(active, { ...parent, isRemote: true });
}

/**
 * OpenTelemetry tracing as middleware: one SERVER span per RPC call and per stream (to its end), named
 * `webshocket/<method>` (`<unknown>` for names no method has), child of the client's `traceparent` when the request
 * carries one. Attributes: `rpc.system` "webshocket", `rpc.method`, `webshocket.call_id`, and for streams
 * `webshocket.stream.chunks` and `webshocket.stream.cancelled`; a failed call sets the status to ERROR with the
 * RPC error code in `rpc.webshocket.error_code`. The method runs inside the span's context, so spans it starts
 * are children. Needs `@opentelemetry/api` (an optional peer) and an SDK set up by the application.
 *
 * @example
 * import { tracing } from "@webshocket/server/tracing";
 * const server = new WebSocketServer({ handler, middleware: [tracing()] });
 */
export function tracing(options: TracingOptions = {}): Middleware {
  const tracer = options.tracer ?? trace.getTracer("@webshocket/server");
  const trust = options.trustTraceparent ?? true;
  return {
    call(ctx: CallContext, next: Next): void | Promise<void> {
      const method = ctx.known ? ctx.method : UNKNOWN_METHOD;
      const parent = parentOf(ctx, trust);
      const span = tracer.startSpan(
        `webshocket/${method}`,
        { kind: SpanKind.SERVER, attributes: { "rpc.system": "webshocket", "rpc.method": method, "webshocket.call_id": ctx.callId, "webshocket.streaming": ctx.streaming } },
        parent,
      );
      const end = (): void => {
        if (ctx.streaming) span.setAttributes({ "webshocket.stream.chunks": ctx.chunks, "webshocket.stream.cancelled": ctx.cancelled });
        if (ctx.error !== undefined) {
          span.setAttribute("rpc.webshocket.error_code", ctx.error.rpcCode);
          span.setStatus({ code: SpanStatusCode.ERROR, message: ctx.error.message });
        }
        span.end();
      };
      const r = context.with(trace.setSpan(parent, span), next);
      if (r === undefined) return end();
      return r.then(end);
    },
  };
}
