export { RawClient, type Closed } from "./rawClient.js";
export { spawnServer, type SpawnedServer } from "./spawnServer.js";
export { findRedisServer, freePort, requireRedisServer, startRedisServer, type RedisServer } from "./redisServer.js";
export { connectStormScript } from "./scripts.js";
export { parsePrometheusText, promValue, type PromFamily, type PromSample } from "./prometheusText.js";
export { startTcpProxy, type TcpProxy } from "./tcpProxy.js";
export { findNginx, requireNginx, selfSignedCertificate, startNginx, type NginxServer } from "./nginxServer.js";
