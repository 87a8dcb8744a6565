import { ClientType } from "@webshocket/protocol";
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import type { ClientConnection } from "../connection.js";
import type { CallContext, ConnectionContext, Middleware, MiddlewareHost, Next, ServerFigures } from "../middleware/middleware.js";
import { CallStats, DEFAULT_BUCKETS, UNKNOWN_METHOD, codeLabel } from "./callStats.js";
import { CallHistogram } from "./histogramMetric.js";

/** Options of `prometheusMetrics()`. */
export interface PrometheusMetricsOptions {
  /** The prom-client registry the metrics join. Default: a new `Registry` (`metrics.registry`). */
  registry?: Registry;
  /** Path served on the WebSocket port (both engines); `false` to serve nothing and mount `registry` yourself. Default: "/metrics". */
  path?: string | false;
  /** Prefix of every metric name. Default: "webshocket_". */
  prefix?: string;
  /** Buckets of the latency histograms, in seconds. Default: 0.5 ms … 10 s (14 buckets). */
  buckets?: readonly number[];
  /** Also collect prom-client's Node process metrics (CPU, memory, event-loop lag) into the registry. Default: false. */
  defaultMetrics?: boolean;
}

/** "msgpack" for framework clients, "json" for generic ones. */
const format = (conn: ClientConnection): 0 | 1 => (conn.clientType === ClientType.FRAMEWORK ? 0 : 1);
const FORMATS = ["msgpack", "json"] as const;

/** Standard close codes as themselves; application ranges folded, so a client cannot invent labels. */
function closeLabel(code: number | undefined): string {
  if (code === undefined) return "unknown";
  if (code >= 1000 && code <= 1015) return String(code);
  if (code >= 3000 && code <= 3999) return "3xxx";
  if (code >= 4000 && code <= 4999) return "4xxx";
  return "other";
}

/**
 * Prometheus metrics for a webshocket server, as middleware: install it with the `middleware` option (first,
 * to see every call) and scrape `/metrics` on the server's port, or mount `registry` elsewhere. The per-call
 * and per-message work is plain number arithmetic; prom-client formats the figures only when scraped.
 * Method labels are the registered method names; any other name counts as `"<unknown>"`.
 *
 * @example
 * import { prometheusMetrics } from "@webshocket/server/metrics";
 * const server = new WebSocketServer({ handler, middleware: [prometheusMetrics()] });
 */
export class PrometheusMetrics implements Middleware {
  readonly registry: Registry;
  readonly #path: string | false;
  readonly #calls: CallStats;
  readonly #publishes: CallStats;
  #figures: ServerFigures | undefined;
  #opened = 0;
  readonly #closed = new Map<string, number>();
  readonly #messagesIn: [number, number] = [0, 0];
  readonly #bytesIn: [number, number] = [0, 0];
  readonly #messagesOut: [number, number] = [0, 0];
  readonly #bytesOut: [number, number] = [0, 0];
  #streamsOpen = 0;

  constructor(options: PrometheusMetricsOptions = {}) {
    this.registry = options.registry ?? new Registry();
    this.#path = options.path ?? "/metrics";
    const buckets = [...(options.buckets ?? DEFAULT_BUCKETS)].sort((a, b) => a - b);
    this.#calls = new CallStats(buckets);
    this.#publishes = new CallStats(buckets);
    const p = options.prefix ?? "webshocket_";
    const registers = [this.registry];
    const figure = (read: (f: ServerFigures) => number) => (): number => (this.#figures === undefined ? 0 : read(this.#figures));
    const gauge = (name: string, help: string, read: () => number): void => {
      new Gauge({ name: p + name, help, registers, collect() { this.set(read()); } });
    };
    const counter = (name: string, help: string, read: () => number): void => {
      new Counter({ name: p + name, help, registers, collect() { this.reset(); this.inc(read()); } });
    };
    const byFormat = (name: string, help: string, values: number[]): void => {
      new Counter({ name: p + name, help, labelNames: ["format"], registers, collect() {
        this.reset();
        FORMATS.forEach((f, i) => this.inc({ format: f }, values[i] as number));
      } });
    };
    gauge("connections", "Open WebSocket connections.", figure((f) => f.connections));
    counter("connections_opened_total", "Connections opened.", () => this.#opened);
    const closed = this.#closed;
    new Counter({ name: `${p}connections_closed_total`, help: "Connections closed, by close code (3xxx/4xxx: application codes).", labelNames: ["code"], registers, collect() {
      this.reset();
      for (const [code, n] of closed) this.inc({ code }, n);
    } });
    byFormat("messages_received_total", "WebSocket messages received, by format.", this.#messagesIn);
    byFormat("received_bytes_total", "Bytes of WebSocket messages received, by format.", this.#bytesIn);
    byFormat("messages_sent_total", "WebSocket messages sent (not counting those dropped by backpressure), by format.", this.#messagesOut);
    byFormat("sent_bytes_total", "Bytes of WebSocket messages sent, by format.", this.#bytesOut);
    const calls = this.#calls;
    new Counter({ name: `${p}rpc_calls_total`, help: 'RPC calls by method (unknown names as "<unknown>") and outcome (OK or the RPC error code name).', labelNames: ["method", "code"], registers, collect() {
      this.reset();
      for (const [method, m] of calls.methods) for (const [code, n] of m.codes) this.inc({ method, code }, n);
    } });
    this.registry.registerMetric(new CallHistogram(`${p}rpc_duration_seconds`, "RPC call latency (streams: until the end), by method.", calls) as never);
    gauge("streams_open", "Streaming RPC calls running.", () => this.#streamsOpen);
    gauge("channels", "Exact channels with at least one subscriber.", figure((f) => f.channels));
    gauge("patterns", "Channel patterns with at least one subscriber.", figure((f) => f.patterns));
    counter("fanout_deliveries_total", "Messages queued to recipients by publish and broadcast on this node.", figure((f) => f.deliveries));
    counter("slow_consumers_total", "Sockets found over maxBackpressure.", figure((f) => f.stats.slowConsumers));
    counter("slow_consumer_disconnects_total", "Slow consumers closed or dropped.", figure((f) => f.stats.slowConsumerDisconnects));
    counter("dropped_messages_total", "Messages dropped by backpressure.", figure((f) => f.stats.droppedMessages));
    counter("sessions_resumed_total", "Sessions resumed on a new socket.", figure((f) => f.stats.sessionsResumed));
    gauge("broker_up", "1 while the broker's link (Redis) is up (always 1 for the in-process broker).", figure((f) => (f.brokerUp ? 1 : 0)));
    gauge("ready", "1 while the server takes connections and its broker link is up.", figure((f) => (f.ready ? 1 : 0)));
    this.registry.registerMetric(new CallHistogram(`${p}broker_publish_duration_seconds`, "Time for a distributed broker to accept a publish, by result.", this.#publishes, "result") as never);
    if (options.defaultMetrics === true) collectDefaultMetrics({ register: this.registry });
  }

  setup(host: MiddlewareHost): void {
    this.#figures = host.figures;
    if (this.#path !== false) {
      const registry = this.registry;
      host.route(this.#path, async () => ({ status: 200, contentType: registry.contentType, body: await registry.metrics() }));
    }
    const mi = this.#messagesIn, bi = this.#bytesIn, mo = this.#messagesOut, bo = this.#bytesOut;
    host.observe({
      messageIn(conn, bytes) {
        const f = format(conn);
        mi[f]++;
        bi[f] += bytes;
      },
      messageOut(conn, bytes, result) {
        if (result === 2) return;
        const f = format(conn);
        mo[f]++;
        bo[f] += bytes;
      },
      brokerPublish: (seconds, ok) => this.#publishes.record(ok ? "ok" : "error", "OK", seconds),
    });
  }

  call(ctx: CallContext, next: Next): void | Promise<void> {
    if (ctx.streaming) this.#streamsOpen++;
    const r = next();
    if (r === undefined) return this.#called(ctx);
    return r.then(() => this.#called(ctx));
  }

  #called(ctx: CallContext): void {
    if (ctx.streaming) this.#streamsOpen--;
    this.#calls.record(ctx.known ? ctx.method : UNKNOWN_METHOD, codeLabel(ctx.error?.rpcCode), ctx.duration / 1000);
  }

  open(_ctx: ConnectionContext, next: Next): void | Promise<void> {
    this.#opened++;
    return next();
  }

  close(ctx: ConnectionContext, next: Next): void | Promise<void> {
    const label = closeLabel(ctx.code);
    this.#closed.set(label, (this.#closed.get(label) ?? 0) + 1);
    return next();
  }
}

/** Prometheus metrics as middleware (see {@link PrometheusMetrics}). */
export function prometheusMetrics(options?: PrometheusMetricsOptions): PrometheusMetrics {
  return new PrometheusMetrics(options);
}
