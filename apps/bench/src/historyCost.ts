/**
 * What channel history in Redis costs (`RedisBroker`'s `history` option), against a real redis-server:
 *  - wall time per publication from one node to another through Redis, N publishes to one channel, plain
 *    PUBLISH against the history script (offset, XADD, PUBLISH in one Lua call), alternating, `--rounds` each;
 *  - Redis memory per kept publication (MEMORY USAGE of the channel's stream / its length).
 *
 *   node apps/bench/dist/src/historyCost.js [--publishes N] [--rounds R] [--bytes B]
 */
import { RedisBroker } from "@webshocket/redis";
import { silentLogger, type Delivery } from "@webshocket/server";
import { startRedisServer } from "@webshocket/test-utils";

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i === -1 ? dflt : Number(process.argv[i + 1] ?? dflt);
};
const n = arg("--publishes", 20_000);
const rounds = arg("--rounds", 5);
const payload = "x".repeat(arg("--bytes", 64));

await using redis = await startRedisServer();

/** One publishing node and one receiving node on a fresh prefix; returns µs per publication received. */
async function round(history: boolean): Promise<number> {
  const prefix = `bench${Math.random().toString(36).slice(2)}:`;
  const options = { url: redis.url, prefix, history: history ? { size: n, ttl: "10m" } : false };
  const publisher = new RedisBroker(options);
  const receiver = new RedisBroker(options);
  let received = 0;
  let done: () => void = () => {};
  const all = new Promise<void>((resolve) => (done = resolve));
  await publisher.start(() => {}, silentLogger);
  await receiver.start(() => {
    if (++received === n) done();
  }, silentLogger);
  receiver.interest("ch", false, true);
  await receiver.subscriptionsSettled();
  const delivery: Delivery = { kind: "channel", channels: ["ch"], data: payload, exclude: [], predicate: undefined };
  const start = process.hrtime.bigint();
  const sent: Array<Promise<void>> = [];
  for (let i = 0; i < n; i++) sent.push(publisher.publish(delivery));
  await Promise.all(sent);
  await all;
  const us = Number(process.hrtime.bigint() - start) / 1000 / n;
  await Promise.all([publisher.close(), receiver.close()]);
  return us;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const plain: number[] = [];
const kept: number[] = [];
for (let r = 0; r < rounds; r++) {
  plain.push(await round(false));
  kept.push(await round(true));
}
console.log(`${n} publishes of ${payload.length} B, one channel, publisher node → receiving node, ${rounds} alternating rounds`);
console.log(`plain PUBLISH:   ${median(plain).toFixed(2)} µs per publication (median; ${plain.map((x) => x.toFixed(2)).join(", ")})`);
console.log(`history script:  ${median(kept).toFixed(2)} µs per publication (median; ${kept.map((x) => x.toFixed(2)).join(", ")})`);

// Memory in Redis per kept publication.
const prefix = `mem${Math.random().toString(36).slice(2)}:`;
const broker = new RedisBroker({ url: redis.url, prefix, history: { size: n, ttl: "10m" } });
await broker.start(() => {}, silentLogger);
const delivery: Delivery = { kind: "channel", channels: ["ch"], data: payload, exclude: [], predicate: undefined };
await Promise.all(Array.from({ length: n }, () => broker.publish(delivery)));
const { createClient } = await import("@redis/client");
const look = createClient({ url: redis.url });
await look.connect();
const bytes = Number(await look.sendCommand(["MEMORY", "USAGE", `${prefix}h:ch`, "SAMPLES", "0"]));
const length = Number(await look.sendCommand(["XLEN", `${prefix}h:ch`]));
console.log(`Redis memory: ${(bytes / length).toFixed(1)} B per kept publication (stream of ${length}, ${bytes} B)`);
await look.close();
await broker.close();
