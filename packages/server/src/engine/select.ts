import type { Server } from "node:http";
import type { HttpServerLike } from "../http/httpServerLike.js";
import type { TlsOptions } from "../options.js";
import type { Engine } from "./engine.js";
import type { EngineOption } from "./engineOption.js";
import { checkUws, loadBundledUws, loadNamedUws, type UwsLoad } from "./uws/loadUws.js";
import { UwsEngine } from "./uws/uwsEngine.js";
import { WsEngine } from "./ws/wsEngine.js";

export type { EngineOption } from "./engineOption.js";

/** What the engine is built with. */
export interface EngineSetup {
  readonly tls: TlsOptions | undefined;
  readonly path: string | undefined;
  readonly httpServer: HttpServerLike | undefined;
}

/** The engine made, and (when "auto" could not have native uWS) the one line saying why and how to get it. */
export interface SelectedEngine {
  readonly engine: UwsEngine | WsEngine;
  readonly notice?: string;
}

const HOW_TO_NATIVE =
  "for native speed on Node 22+ with glibc >= 2.38, install @btc-vision/uwebsockets.js (or uWebSockets.js from its GitHub releases) and pass it as the `engine` option";

/** The uWS module to use for "auto"/"uws": the one named by WEBSHOCKET_UWS_MODULE, else the bundled build. */
function findUws(): UwsLoad {
  const named = process.env.WEBSHOCKET_UWS_MODULE;
  return named !== undefined && named !== "" ? loadNamedUws(named) : loadBundledUws();
}

function uwsPath(path: string | undefined): string {
  return path === undefined ? "/*" : path;
}

/** The engine option as given, else "ws" when attaching to an HTTP server, else WEBSHOCKET_ENGINE, else "auto". */
export function engineOption(option: EngineOption | undefined, attached: boolean): EngineOption {
  if (option !== undefined) return option;
  if (attached) return "ws";
  const env = process.env.WEBSHOCKET_ENGINE;
  if (env === undefined || env === "") return "auto";
  if (env === "auto" || env === "uws" || env === "ws") return env;
  throw new RangeError(`WEBSHOCKET_ENGINE must be "auto", "uws" or "ws", got "${env}".`);
}

/** Builds the engine for `option`; throws a clear error when an engine asked for by name cannot run. */
export function selectEngine(option: EngineOption, setup: EngineSetup): SelectedEngine {
  if (typeof option === "object" && option !== null) {
    if (setup.httpServer !== undefined) throw new TypeError("WebSocketServer: httpServer needs the ws engine, not a uWebSockets.js module.");
    const load = checkUws(option, "The `engine` option");
    if (load.uws === undefined) throw new TypeError(`WebSocketServer: ${load.reason}.`);
    return { engine: new UwsEngine(load.uws, setup.tls, uwsPath(setup.path)) };
  }
  if (option === "ws" || (option === "auto" && setup.httpServer !== undefined)) {
    return { engine: new WsEngine(setup.tls, setup.path, setup.httpServer as Server | undefined) };
  }
  if (option === "uws") {
    if (setup.httpServer !== undefined) throw new TypeError('WebSocketServer: httpServer needs the ws engine (engine "ws" or "auto").');
    const load = findUws();
    if (load.uws === undefined) throw new Error(`WebSocketServer: engine "uws" is not available: ${load.reason}; ${HOW_TO_NATIVE}.`);
    return { engine: new UwsEngine(load.uws, setup.tls, uwsPath(setup.path)) };
  }
  if (option !== "auto") throw new RangeError(`WebSocketServer: engine must be "auto", "uws", "ws" or a uWebSockets.js module, got ${String(option)}.`);
  const load = findUws();
  if (load.uws !== undefined) return { engine: new UwsEngine(load.uws, setup.tls, uwsPath(setup.path)) };
  return {
    engine: new WsEngine(setup.tls, setup.path, undefined),
    notice: `webshocket: running on the ws engine (native uWebSockets.js unavailable: ${load.reason}); ${HOW_TO_NATIVE}.`,
  };
}
