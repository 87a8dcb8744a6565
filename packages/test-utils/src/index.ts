export { RawClient, type Closed } from "./rawClient.js";
export { spawnServer, type SpawnedServer } from "./spawnServer.js";
