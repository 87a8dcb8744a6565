// The streaming page: for-await over client.stream(), rendering each token as it arrives; Stop
// aborts the call's AbortSignal, which makes the client send $cancel to the server.
import { PacketSource, WebSocketClient } from "/webshocket-client.js";

const $ = (id) => document.getElementById(id);
/** Milliseconds between tokens, `?delay=` in the URL (tests use it). */
const delay = Number(new URLSearchParams(location.search).get("delay") ?? 60);

const client = new WebSocketClient(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/`, {
  autoReconnect: true,
  onReceive: (packet) => {
    if (packet.source === PacketSource.CUSTOM && packet.data?.kind === "generation-ended") showServer(packet.data);
  },
});
let controller;

function setStatus(text, state) {
  $("status").textContent = text;
  $("status").dataset.state = state;
}

/** What the server reported when the generator ended (pushed by its `finally` block). */
function showServer({ tokens, cancelled, stats }) {
  $("server-note").textContent = cancelled
    ? `The generator was cancelled after ${tokens} tokens — its finally block ran.`
    : `The generator finished all ${tokens} tokens.`;
  const rows = [["started", stats.started], ["completed", stats.completed], ["cancelled", stats.cancelled], ["running", stats.running]];
  $("stats").replaceChildren(...rows.map(([k, v]) => {
    const div = document.createElement("div");
    const dt = document.createElement("dt");
    const dd = document.createElement("dd");
    dt.textContent = k;
    dd.textContent = String(v);
    div.append(dd, dt);
    return div;
  }));
}

async function generate(event) {
  event.preventDefault();
  controller = new AbortController();
  const output = $("output");
  const caret = Object.assign(document.createElement("span"), { className: "caret" });
  output.replaceChildren(caret);
  $("generate").disabled = true;
  $("stop").disabled = false;
  let count = 0;
  const started = performance.now();
  setStatus("Streaming…", "streaming");
  try {
    const stream = client.stream("generate", [$("prompt").value], { kwargs: { delay_ms: delay }, signal: controller.signal });
    for await (const packet of stream) {
      caret.before(packet.data);
      count++;
      output.dataset.tokens = String(count);
      setStatus(`Streaming… ${count} tokens`, "streaming");
      $("rate").textContent = `${((count * 1000) / (performance.now() - started)).toFixed(1)} tokens/s`;
    }
    setStatus(`Done — ${count} tokens`, "done");
  } catch (err) {
    if (controller.signal.aborted) setStatus(`Stopped after ${count} tokens`, "stopped");
    else setStatus(`Error: ${err.message}`, "error");
  } finally {
    caret.remove();
    $("generate").disabled = false;
    $("stop").disabled = true;
  }
}

$("prompt-form").addEventListener("submit", generate);
$("stop").addEventListener("click", () => controller?.abort());
client.on("disconnect", () => setStatus("Reconnecting…", "error"));
client.on("connect", () => {
  setStatus("Ready", "ready");
  $("generate").disabled = false;
});
client.connect({ retry: true }).catch((err) => setStatus(`Cannot reach the server: ${err.message}`, "error"));
