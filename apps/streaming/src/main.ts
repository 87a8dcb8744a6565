import { streamingConfigFromEnv } from "./config.js";
import { createStreamingServer } from "./createStreamingServer.js";

const config = streamingConfigFromEnv(process.env);
const server = await createStreamingServer(config).start();
// A wildcard bind address is not something to type into a browser.
const shown = ["0.0.0.0", "::", "[::]"].includes(config.host) ? "localhost" : config.host;
console.log([`listening on ${server.url} (engine: ${server.engine})`, `open http://${shown.includes(":") ? `[${shown}]` : shown}:${server.port}/ in your browser`].join("\n"));

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
