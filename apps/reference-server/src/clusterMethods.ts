import { rateLimit } from "@webshocket/guards";
import { rpcMethod, type ClientConnection } from "@webshocket/server";
import type { ReferenceState } from "./referenceHandler.js";

/**
 * `limited_user()`: 3 calls per 10 s per logged-in username (a connection that has not
 * logged in is limited on its own). With REDIS_URL the window lives in Redis, so it
 * holds for a user across connections on every node of the cluster.
 */
export const limitedUser = rateLimit({ limit: 3, period: "10s", key: (c: ClientConnection<ReferenceState>) => c.state.username ?? c.uid })(
  rpcMethod()(function limited_user(): string {
    return "ok";
  }),
);
