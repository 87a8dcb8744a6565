import type { EngineName } from "./engine.js";
import type { UwsModule } from "./uws/loadUws.js";

/**
 * Which engine runs the server: "auto" (native uWebSockets.js when its binary loads, else `ws`), "uws", "ws",
 * or a uWebSockets.js module object to run on (e.g. one installed from uWS's releases).
 */
export type EngineOption = "auto" | EngineName | UwsModule;
