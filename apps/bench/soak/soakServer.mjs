// The server under soak: started with --expose-gc so the driver can ask for post-GC heap figures.
import { WebSocketServer, WebSocketHandler, rpcMethod, Is } from "@webshocket/server";

class SoakHandler extends WebSocketHandler {}
const handler = new SoakHandler();
const rpc = (name, fn) => handler.registerRpcMethod(rpcMethod()(fn), name);
rpc("add", (_c, a, b) => a + b);
rpc("join", (c, ch) => c.subscribe(ch));
rpc("leave", (c, ch) => c.unsubscribe(ch));
rpc("login", (c, name, admin) => { c.state.username = name; c.state.is_admin = admin; return true; });
rpc("say", (c, ch, text) => { void handler.publish(ch, text, { exclude: c }); });
rpc("announce", (_c, text) => { void handler.broadcast(text, { predicate: Is("is_admin") }); });
handler.registerRpcMethod(rpcMethod()(async function* ticks(_c, n) { for (let i = 0; i < n; i++) { yield i; await new Promise((r) => setTimeout(r, 1)); } }), "ticks");
rpc("stats", () => {
  globalThis.gc?.();
  globalThis.gc?.();
  const m = process.memoryUsage();
  const resources = process.getActiveResourcesInfo();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    clients: handler.clients.size,
    channels: handler.channels.size,
    patterns: handler.patterns.size,
    timers: resources.filter((r) => r === "Timeout").length,
    immediates: resources.filter((r) => r === "Immediate").length,
  };
});

const maxConnections = process.env.MAX_CONNECTIONS ? Number(process.env.MAX_CONNECTIONS) : undefined;
const server = new WebSocketServer({ port: 0, handler, maxSubscribedChannels: 16, maxConnections, idleTimeout: 0 });
await server.start();
console.log(`listening on ${server.url}`);
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
