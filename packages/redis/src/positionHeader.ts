import type { HistoryPosition } from "@webshocket/server";

/** First byte of a delivery published with history positions (an envelope alone starts with msgpack's 0x98). */
export const POSITIONED = 0x48; // "H"

/** A delivery published through the history script: its positions by channel index, and the envelope. */
export interface PositionedMessage {
  readonly positions: ReadonlyMap<number, HistoryPosition>;
  readonly body: Uint8Array;
}

const ENTRY = /^(\d+):([A-Za-z0-9_-]+):(\d+)$/;

/**
 * Reads `H<index>:<epoch>:<offset>;…\n<envelope>` (written by the publish script).
 * @throws TypeError for anything else.
 */
export function parsePositioned(message: Uint8Array): PositionedMessage {
  const end = message.indexOf(0x0a);
  if (message[0] !== POSITIONED || end < 0) throw new TypeError("not a positioned delivery.");
  const positions = new Map<number, HistoryPosition>();
  const text = Buffer.from(message.buffer, message.byteOffset + 1, end - 1).toString("latin1");
  for (const part of text.split(";")) {
    const m = ENTRY.exec(part);
    if (m === null) throw new TypeError(`bad position ${JSON.stringify(part)}.`);
    positions.set(Number(m[1]), { epoch: m[2] as string, offset: Number(m[3]) });
  }
  return { positions, body: message.subarray(end + 1) };
}
