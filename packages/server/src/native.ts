import uWS from "uWebSockets.js";

export type { HttpRequest, HttpResponse, TemplatedApp, us_listen_socket, us_socket, us_socket_context_t, WebSocket, WebSocketBehavior } from "uWebSockets.js";

/** The uWebSockets.js module in use. */
export const uws = uWS;

/**
 * True when the native uWebSockets.js binary loaded. The registry build we use
 * silently falls back to a slow pure-JS implementation when its binary cannot
 * load on this platform; its functions are then plain JavaScript.
 */
export const isNative: boolean = /\[native code\]/.test(Function.prototype.toString.call(uWS.App));

let warned = false;

/** Prints a loud warning (once per process) when the native core is not running. */
export function warnIfNotNative(log: (message: string) => void = console.warn): void {
  if (isNative || warned) return;
  warned = true;
  log(
    [
      "",
      "!!! webshocket: the native uWebSockets.js binary did NOT load on this platform",
      `!!! (node ${process.version}, ${process.platform}-${process.arch}, ABI ${process.versions.modules}).`,
      "!!! The server runs on uWebSockets.js's pure-JS fallback: expect a fraction of the speed.",
      "",
    ].join("\n"),
  );
}
