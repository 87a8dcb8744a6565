import { asyncApiDocument } from "@webshocket/server";
import { limitedUser } from "./clusterMethods.js";
import { ReferenceHandler } from "./referenceHandler.js";

/** The reference server's AsyncAPI 3 document: every method main.ts serves, on `host` (default localhost:5000). */
export function referenceDocument(host = "localhost:5000"): Record<string, unknown> {
  const handler = new ReferenceHandler();
  handler.registerRpcMethod(limitedUser);
  return asyncApiDocument(handler, {
    title: "webshocket reference server",
    version: "1.0.0",
    description: "The conformance target for webshocket clients in any language (apps/reference-server/README.md).",
    servers: { local: { host, protocol: "ws", description: "`pnpm -F @webshocket/reference-server start`" } },
    channels: { "*": { description: "Whatever `publish` is called with, on the channels a client joined (exact names or glob patterns)." } },
    broadcast: { description: "Whatever `broadcast` is called with." },
  });
}
