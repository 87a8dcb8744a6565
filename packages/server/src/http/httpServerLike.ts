/**
 * A Node `http.Server` or `https.Server` (Express's, Fastify's …), as the public types name it: structural,
 * so the declaration files need no Node typings (a browser project importing a handler's type compiles
 * without @types/node).
 */
export interface HttpServerLike {
  address(): unknown;
  listen(...args: never[]): unknown;
  close(...args: never[]): unknown;
  on(event: string, listener: (...args: never[]) => void): unknown;
}
