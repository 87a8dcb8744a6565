import { fileURLToPath } from "node:url";

/**
 * Path of the connect-storm script: `node connectStorm.mjs <url> <count> <parallel> <expectClosed>`
 * opens `count` connections (`parallel` handshakes at a time), holds them, and prints one JSON line
 * `{ stillOpen, everOpened, failed, codes }` once `expectClosed` were closed by the server (or 30 s
 * passed). It exits when its stdin ends.
 */
export const connectStormScript: string = fileURLToPath(new URL("../scripts/connectStorm.mjs", import.meta.url));
