import { SendResult, type EngineSocket } from "./engine/engine.js";

/** Bytes uWebSockets.js may move from its cork buffer into a socket's backpressure buffer while fragments go out. */
const CORK_SLACK = 16 * 1024;
/** The largest header of an unmasked server frame. */
const FRAME_HEADER = 10;

/**
 * Sends a message longer than `chunkSize` bytes as WebSocket fragments: a first frame with the message's opcode
 * and FIN clear, continuation frames, and a last one with FIN set, each carrying at most `chunkSize` bytes (views
 * into `message`, not copies). Every fragment is sent before this returns, so no other message's frames come
 * between them on the socket.
 *
 * A message goes whole or not at all: the engines drop a frame while a socket's buffer is over
 * `maxBackpressure`, and a message cut short there would corrupt the stream. So a message that could take the
 * buffer past `maxBackpressure` (0: no limit) goes in one frame, as every message did before fragmentation:
 * the engine sends it whole, or drops it whole when the buffer is already over the limit. Only messages near
 * `maxBackpressure` in size, or sent to a socket already backed up, take this path.
 * Fragments are sent uncompressed (permessage-deflate is per message; a peer reads an uncompressed one as well).
 */
export function sendFragmented(ws: EngineSocket, message: Uint8Array | string, isBinary: boolean, compress: boolean, chunkSize: number, maxBackpressure: number): number {
  const bytes = typeof message === "string" ? Buffer.from(message) : message;
  const n = bytes.length;
  if (n <= chunkSize) return ws.send(bytes, isBinary, compress);
  const frames = Math.ceil(n / chunkSize);
  if (maxBackpressure > 0 && ws.getBufferedAmount() + n + frames * FRAME_HEADER + CORK_SLACK > maxBackpressure) return ws.send(bytes, isBinary, compress);
  ws.sendFirstFragment(bytes.subarray(0, chunkSize), isBinary, false);
  let at = chunkSize;
  for (; n - at > chunkSize; at += chunkSize) ws.sendFragment(bytes.subarray(at, at + chunkSize), false);
  ws.sendLastFragment(bytes.subarray(at), false);
  return ws.getBufferedAmount() > 0 ? SendResult.BACKPRESSURE : SendResult.SUCCESS;
}
