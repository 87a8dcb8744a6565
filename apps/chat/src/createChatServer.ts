import { fileURLToPath } from "node:url";
import { loadStaticFiles, serveStatic, staticFile, WebSocketServer } from "@webshocket/server";
import { ChatHandler, type ChatState } from "./chatHandler.js";
import { MAX_ROOMS } from "./chatRules.js";
import type { ChatConfig } from "./config.js";

/** The browser build of @webshocket/client, served to the page as `/webshocket-client.js`. */
const CLIENT_BUNDLE = fileURLToPath(import.meta.resolve("@webshocket/client/browser"));

/** The page and its assets: `apps/chat/public/` (next to `dist/`). */
export const PUBLIC_DIR = fileURLToPath(new URL("../public/", import.meta.url));

/**
 * The chat server, not yet started: the {@link ChatHandler} on WebSocket connections and the page
 * (`/`, `/plain.html`, `/webshocket-client.js`, …) over HTTP on the same port.
 */
export function createChatServer(config: ChatConfig): WebSocketServer<ChatState> {
  const server = new WebSocketServer<ChatState>({
    host: config.host,
    port: config.port,
    handler: new ChatHandler(config.adminPasscode),
    maxSubscribedChannels: MAX_ROOMS + 1, // the room limit is the handler's (its own message); one slot to check it in
    resume: { window: "2m" }, // a dropped tab keeps its login, rooms and missed messages (the page's client resumes)
  });
  const files = loadStaticFiles(PUBLIC_DIR);
  files.set("/webshocket-client.js", staticFile(CLIENT_BUNDLE));
  serveStatic(server, files);
  return server;
}
