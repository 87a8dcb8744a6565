import type { CallStats } from "./callStats.js";

/** One sample as prom-client's registry formats it. */
interface Sample {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

/**
 * The RPC latency histogram as a metric prom-client's registry can format: the buckets are counted in plain
 * numbers per call (CallStats) and turned into samples only when scraped (prom-client's own Histogram hashes
 * the labels on every observation).
 */
export class CallHistogram {
  readonly type = "histogram";
  readonly aggregator = "sum";
  readonly labelNames: string[];
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly stats: CallStats,
    private readonly label = "method",
  ) {
    this.labelNames = [label];
  }

  get(): { name: string; help: string; type: string; values: Sample[]; aggregator: string } {
    const values: Sample[] = [];
    const label = this.label;
    for (const [method, m] of this.stats.methods) {
      let cumulative = 0;
      m.bounds.forEach((le, i) => {
        cumulative += m.buckets[i] as number;
        values.push({ value: cumulative, labels: { [label]: method, le }, metricName: `${this.name}_bucket` });
      });
      values.push({ value: m.count, labels: { [label]: method, le: "+Inf" }, metricName: `${this.name}_bucket` });
      values.push({ value: m.sum, labels: { [label]: method }, metricName: `${this.name}_sum` });
      values.push({ value: m.count, labels: { [label]: method }, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {
    this.stats.methods.clear();
  }
}
