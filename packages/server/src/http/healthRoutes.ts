import { ServerState } from "@webshocket/protocol";
import type { HealthOptions } from "../options.js";
import type { HttpAnswer, HttpRoute } from "./httpRoute.js";

const text = (status: number, body: string): HttpAnswer => ({ status, contentType: "text/plain; charset=utf-8", body });

/**
 * `/healthz` (live: 200 while the server listens or drains) and `/readyz` (200 when ready; 503 while closing or
 * while the broker's link is down), as routes for the engine.
 */
export function healthRoutes(options: true | HealthOptions, state: () => ServerState, ready: () => boolean): Map<string, HttpRoute> {
  const o = options === true ? {} : options;
  return new Map<string, HttpRoute>([
    [o.livePath ?? "/healthz", () => (state() === ServerState.CLOSED ? text(503, "closed\n") : text(200, "ok\n"))],
    [o.readyPath ?? "/readyz", () => (ready() ? text(200, "ready\n") : text(503, state() === ServerState.LISTENING ? "broker link down\n" : "not ready: shutting down\n"))],
  ]);
}
