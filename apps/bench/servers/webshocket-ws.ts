/**
 * The webshocket bench server on the ws engine (the `ws` package on node:http): the same handler as
 * webshocket.ts, which refuses to run when the server is not on the engine asked for.
 */
import { announce, installProcessHandlers, isMain, portFromArgs } from "./common.js";
import { startWebshocket } from "./webshocket.js";

if (isMain(import.meta.url)) {
  const server = await startWebshocket(portFromArgs(), "ws");
  installProcessHandlers(() => server.close());
  announce("webshocket-ws", server.port);
}
