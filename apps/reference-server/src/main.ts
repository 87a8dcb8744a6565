import { WebSocketServer } from "@webshocket/server";
import { configFromEnv } from "./config.js";
import { ReferenceHandler } from "./referenceHandler.js";

const server = new WebSocketServer({ ...configFromEnv(process.env), handler: new ReferenceHandler() });
await server.start();
console.log(`listening on ${server.url}`);
if (!server.native) console.log("warning: running on the uWebSockets.js JS fallback (slow)");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
