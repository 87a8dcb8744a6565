import { WebSocketClient } from "@webshocket/client";
import type { ChatHandler } from "./handler.js";

export async function main(): Promise<number> {
  const client = await new WebSocketClient("ws://localhost:8000").connect();
  return client.typed<ChatHandler>().add(1, 2);
}
