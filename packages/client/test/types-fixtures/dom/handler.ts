// A server handler, as an app writes it; the browser code below imports only its type.
import { rpcMethod, WebSocketHandler, type ClientConnection } from "@webshocket/server";

export class ChatHandler extends WebSocketHandler<{ name?: string }> {
  @rpcMethod() add(_conn: ClientConnection, a: number, b: number) {
    return a + b;
  }
}
