// @webshocket/server/tracing: OpenTelemetry spans per RPC call and stream (needs the optional peer @opentelemetry/api).
export { tracing, type TracingOptions } from "./tracingMiddleware.js";
export { formatTraceparent, parseTraceparent, type TraceParent } from "./traceparent.js";
