// @webshocket/server/metrics: Prometheus metrics (needs the optional peer dependency prom-client).
export { PrometheusMetrics, prometheusMetrics, type PrometheusMetricsOptions } from "./prometheusMetrics.js";
export { UNKNOWN_METHOD } from "./callStats.js";
