/** What the mock model "answers", whatever the prompt. */
export const CANNED_REPLY =
  "Streaming RPC turns an async generator on the server into a live feed in the browser. " +
  "Each yield becomes one packet, sent as soon as it is ready, so the page renders words while the rest are still being made. " +
  "Backpressure is built in: the server pulls the next value only while the socket keeps up. " +
  "And when you press Stop, the client sends $cancel, the generator's finally block runs on the server, and nothing more is computed or sent. " +
  "That is the whole trick behind token-by-token AI answers, live logs and progress bars, with no polling and no extra protocol.";

/** Splits text into word tokens, each keeping the whitespace after it (joined, they give the text back). */
export function tokenize(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [];
}

/** The tokens of the mock reply to `prompt`: a short echo of the prompt, then {@link CANNED_REPLY}. */
export function mockReply(prompt: string): string[] {
  const topic = prompt.trim().replace(/\s+/g, " ").slice(0, 80);
  return tokenize(`${topic === "" ? "" : `You asked: “${topic}”. `}${CANNED_REPLY}`);
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
