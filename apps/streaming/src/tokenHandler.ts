import { rpcMethod, WebSocketHandler, type ClientConnection } from "@webshocket/server";
import { mockReply, sleep } from "./mockTokens.js";

/** How many generations ran, and how they ended. */
export interface GenerationStats {
  started: number;
  /** Ran to the last token. */
  completed: number;
  /** Stopped early (the client's `$cancel`, or a disconnect): the generator's `finally` ran anyway. */
  cancelled: number;
  /** Running now. */
  running: number;
}

/** Pushed to the page (a CUSTOM packet) when one of its generations ends, however it ends. */
export interface GenerationEnded {
  kind: "generation-ended";
  tokens: number;
  cancelled: boolean;
  stats: GenerationStats;
}

/**
 * A mock language model: `generate` streams a canned answer word by word. Stopping the stream on
 * the client cancels the generator here; its `finally` block counts and logs that, which `stats()`
 * (and the server log) let tests and the page observe.
 */
export class TokenHandler extends WebSocketHandler {
  readonly #stats: GenerationStats = { started: 0, completed: 0, cancelled: 0, running: 0 };

  /** @param log where "generation cancelled" lines go (default: stdout). */
  constructor(private readonly log: (line: string) => void = console.log) {
    super();
  }

  /** Streams the reply to `prompt`, one word every `delay_ms` (0–2000) milliseconds. */
  @rpcMethod() async *generate(conn: ClientConnection, prompt: string, delay_ms = 60): AsyncGenerator<string> {
    const delay = Math.min(Math.max(Number(delay_ms) || 0, 0), 2000);
    const tokens = mockReply(String(prompt ?? ""));
    let sent = 0;
    this.#stats.started++;
    this.#stats.running++;
    try {
      for (const token of tokens) {
        if (delay > 0) await sleep(delay);
        yield token;
        sent++;
      }
    } finally {
      const cancelled = sent < tokens.length;
      this.#stats.running--;
      if (cancelled) this.#stats.cancelled++;
      else this.#stats.completed++;
      if (cancelled) this.log(`generation cancelled after ${sent} of ${tokens.length} tokens (finally ran)`);
      conn.send({ kind: "generation-ended", tokens: sent, cancelled, stats: this.stats() } satisfies GenerationEnded);
    }
  }

  /** A copy of the counters. */
  @rpcMethod() stats(): GenerationStats {
    return { ...this.#stats };
  }
}
