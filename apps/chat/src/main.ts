import { chatConfigFromEnv } from "./config.js";
import { createChatServer } from "./createChatServer.js";

const config = chatConfigFromEnv(process.env);
const server = createChatServer(config);
await server.start();
// A wildcard bind address is not something to type into a browser.
const shown = ["0.0.0.0", "::", "[::]"].includes(config.host) ? "localhost" : config.host;
const http = `http://${shown.includes(":") ? `[${shown}]` : shown}:${server.port}`;
console.log(
  [
    `listening on ${server.url} (engine: ${server.engine})`,
    `admin passcode: ${config.adminPasscode}  (tick "Sign in as admin" on the page)`,
    `open ${http}/ in your browser  (the library-free JavaScript client: ${http}/plain.html)`,
  ].join("\n"),
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
