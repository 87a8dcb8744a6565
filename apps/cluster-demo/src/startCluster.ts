import { fileURLToPath } from "node:url";
import { spawnServer, startRedisServer, type RedisServer, type SpawnedServer } from "@webshocket/test-utils";

/** The reference server's entry point (built): every node runs it with REDIS_URL set. */
export const referenceServerMain = fileURLToPath(new URL("../../reference-server/dist/main.js", import.meta.url));

/** Options of {@link startCluster}. */
export interface ClusterOptions {
  /** Number of server nodes. Default: 3. */
  nodes?: number;
  /** Port of the first node; the others take the next ones. 0 lets every node pick a free port. Default: 5000. */
  basePort?: number;
  /** Interface the nodes bind. Default: "127.0.0.1". */
  host?: string;
  /** Use this Redis instead of starting a redis-server on a free port. Default: start one. */
  redisUrl?: string;
  /** Prefix of the cluster's Redis channels and keys (REDIS_PREFIX). Default: the server's, "webshocket:". */
  prefix?: string;
  /** More environment variables for every node. Default: none. */
  env?: Record<string, string>;
}

/** A running cluster; dispose it with `await using` (nodes first, then the redis-server it started). */
export interface Cluster extends AsyncDisposable {
  readonly redisUrl: string;
  /** The redis-server this cluster started (undefined when given `redisUrl`). */
  readonly redis: RedisServer | undefined;
  readonly nodes: SpawnedServer[];
  /** The nodes' ws:// URLs, in port order. */
  readonly urls: string[];
  close(): Promise<void>;
}

/**
 * Starts redis-server on a free port (unless `redisUrl` is given) and `nodes`
 * reference-server processes joined to it through REDIS_URL, on consecutive ports.
 *
 * @example
 * await using cluster = await startCluster({ nodes: 2, basePort: 0 });
 * // cluster.urls → ["ws://127.0.0.1:41234", "ws://127.0.0.1:41235"]
 */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const count = options.nodes ?? 3;
  const basePort = options.basePort ?? 5000;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`nodes must be a positive integer, got ${count}`);
  const redis = options.redisUrl === undefined ? await startRedisServer() : undefined;
  const redisUrl = options.redisUrl ?? (redis as RedisServer).url;
  const env: Record<string, string> = { ...options.env, REDIS_URL: redisUrl, HOST: options.host ?? "127.0.0.1" };
  if (options.prefix !== undefined) env.REDIS_PREFIX = options.prefix;
  const started = await Promise.allSettled(
    Array.from({ length: count }, (_, i) => spawnServer(referenceServerMain, { ...env, PORT: String(basePort === 0 ? 0 : basePort + i) })),
  );
  const nodes = started.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const close = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n[Symbol.asyncDispose]()));
    await redis?.stop("SIGTERM");
  };
  const failed = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed !== undefined) {
    await close();
    throw failed.reason;
  }
  return { redisUrl, redis, nodes, urls: nodes.map((n) => n.url), close, [Symbol.asyncDispose]: close };
}
