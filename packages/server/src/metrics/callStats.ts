import { RPCErrorCode } from "@webshocket/protocol";

/** The `method` label of calls to names no method has: one label, however many names clients send. */
export const UNKNOWN_METHOD = "<unknown>";

/** Default latency buckets, in seconds. */
export const DEFAULT_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The `code` label: "OK" or the RPC error code's name ("OTHER" for a number outside the table). */
export function codeLabel(code: number | undefined): string {
  if (code === undefined) return "OK";
  const name = (RPCErrorCode as unknown as Record<number, string | undefined>)[code];
  return name ?? "OTHER";
}

/** Latency and outcomes of one method, as plain numbers (prom-client sees them only at a scrape). */
export class MethodStats {
  readonly codes = new Map<string, number>();
  readonly buckets: Float64Array;
  sum = 0;
  count = 0;
  constructor(readonly bounds: readonly number[]) {
    this.buckets = new Float64Array(bounds.length);
  }
  record(code: string, seconds: number): void {
    this.codes.set(code, (this.codes.get(code) ?? 0) + 1);
    this.sum += seconds;
    this.count++;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (seconds <= (bounds[i] as number)) {
        this.buckets[i] = (this.buckets[i] as number) + 1;
        return;
      }
    }
  }
}

/** Per-method figures, keyed by the bounded method label. */
export class CallStats {
  readonly methods = new Map<string, MethodStats>();
  constructor(readonly bounds: readonly number[]) {}
  record(method: string, code: string, seconds: number): void {
    let m = this.methods.get(method);
    if (m === undefined) this.methods.set(method, (m = new MethodStats(this.bounds)));
    m.record(code, seconds);
  }
}
