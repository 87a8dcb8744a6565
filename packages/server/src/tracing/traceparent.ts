/** The parts of a W3C `traceparent` (version 00). */
export interface TraceParent {
  traceId: string;
  spanId: string;
  traceFlags: number;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Reads `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`; undefined for anything else (or all-zero ids). */
export function parseTraceparent(value: string | undefined): TraceParent | undefined {
  if (value === undefined) return undefined;
  const m = TRACEPARENT.exec(value);
  if (m === null) return undefined;
  const [, traceId = "", spanId = "", flags = ""] = m;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, traceFlags: parseInt(flags, 16) };
}

/** Writes a `traceparent` for a span (what a client sends; see the client's `traceparent` option). */
export function formatTraceparent(span: TraceParent): string {
  return `00-${span.traceId}-${span.spanId}-${span.traceFlags.toString(16).padStart(2, "0")}`;
}
