import { parseArgs } from "node:util";
import { startCluster } from "./startCluster.js";

const usage = `usage: node dist/main.js [--nodes N] [--port FIRST_PORT] [--redis URL] [--prefix PREFIX]
  --nodes   number of reference-server nodes (default 3, env NODES)
  --port    port of the first node; the others take the next ones; 0 = free ports (default 5000, env BASE_PORT)
  --redis   use this Redis instead of starting redis-server on a free port (env REDIS_URL)
  --prefix  prefix of the cluster's Redis channels and keys (default "webshocket:", env REDIS_PREFIX)`;

const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: process.env.NODES ?? "3" },
    port: { type: "string", default: process.env.BASE_PORT ?? "5000" },
    redis: { type: "string", default: process.env.REDIS_URL },
    prefix: { type: "string", default: process.env.REDIS_PREFIX },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const cluster = await startCluster({ nodes: Number(values.nodes), basePort: Number(values.port), redisUrl: values.redis, prefix: values.prefix });
console.log(`redis: ${cluster.redisUrl}${cluster.redis ? ` (redis-server pid ${cluster.redis.process?.pid}, started by this demo)` : ""}`);
cluster.nodes.forEach((node, i) => {
  console.log(`node ${i + 1}: ${node.url} (pid ${node.process.pid})`);
  // Pass each node's output (its start-up lines, then outage reports, ...) through, labelled.
  const label = (chunk: Buffer | string): void => {
    for (const line of chunk.toString().split("\n")) if (line !== "") console.log(`[node ${i + 1}] ${line}`);
  };
  label(node.output());
  node.process.stdout?.on("data", label);
  node.process.stderr?.on("data", label);
  node.process.once("exit", (code, signal) => console.log(`[node ${i + 1}] exited (${signal ?? code})`));
});
console.log(`cluster ready: ${cluster.urls.join(" ")}\nCtrl-C stops every node and the redis-server.`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void cluster.close().then(() => process.exit(0));
  });
}
