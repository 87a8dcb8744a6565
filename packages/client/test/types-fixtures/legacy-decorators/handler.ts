// A handler in a project with `experimentalDecorators: true` (NestJS, TypeORM): the legacy decorator form.
import { Type } from "@sinclair/typebox";
import { channel, rateLimit, rpcMethod, WebSocketHandler, type ClientConnection } from "@webshocket/server";

export class LegacyHandler extends WebSocketHandler {
  @channel("news.*") news(_conn: ClientConnection, name: string) {
    return name;
  }

  @rpcMethod() add(_conn: ClientConnection, a: number, b: number) {
    return a + b;
  }

  @rateLimit({ limit: 5, period: 1 })
  @rpcMethod({ alias: "multiply", params: [Type.Number(), Type.Optional(Type.Number())] })
  mul(_conn: ClientConnection, a: number, b = 1) {
    return a * b;
  }

  // @ts-expect-error: the schema says number, the method takes a string (checked in the legacy form too)
  @rpcMethod({ params: [Type.Number()] })
  wrong(_conn: ClientConnection, s: string) {
    return s;
  }
}
