import type { PredicateLike } from "@webshocket/guards";
import { GlobPattern } from "./globPattern.js";

/** Where `@channel` keeps its declaration on the method's function object. */
export const CHANNEL_DECLARATION = Symbol.for("webshocket.channel");

/** Options of `@channel`. */
export interface ChannelOptions {
  /**
   * Session-state predicate (guards: Is, Has, IsEqual, Any, All, Not, or a local function) a client
   * must pass to subscribe; failing it answers ACCESS_DENIED naming the channel. Default: none
   * (any connected client may subscribe to the declared channels).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  requires?: PredicateLike<any>;
  /**
   * JSON Schema (a typebox schema is one) of what is published on the channel, for documentation:
   * `asyncApiDocument` shows it as the channel's payload. Not checked at run time. Default: none.
   */
  payload?: object;
}

/** One `@channel` declaration, as the server keeps it. */
export interface ChannelDeclaration {
  /** The declared channel name or fnmatch pattern. */
  readonly pattern: string;
  readonly glob: GlobPattern;
  readonly requires: PredicateLike<never> | undefined;
  /** `ChannelOptions.payload`. */
  readonly payload: object | undefined;
  /** The method: `(conn, channel)` → the initial value for a new subscriber. */
  readonly fn: Function;
}

function declare(fn: Function, pattern: string, options: ChannelOptions): void {
  if (typeof pattern !== "string" || pattern === "") throw new TypeError("@channel needs a non-empty channel name or pattern.");
  const declaration: ChannelDeclaration = {
    pattern,
    glob: GlobPattern.compile(pattern),
    requires: options.requires as PredicateLike<never> | undefined,
    payload: options.payload,
    fn,
  };
  Object.defineProperty(fn, CHANNEL_DECLARATION, { value: declaration, configurable: true });
}

/**
 * Declares a channel (or an fnmatch pattern of channels) clients may subscribe to themselves
 * (`client.subscribe(name)`, the `$subscribe` control call). The method is called with the new
 * subscriber's connection and the name (or pattern) it asked for, after the client has joined,
 * and its result (or the promise's value) is the subscription's initial value (`undefined` → `null`).
 * Throwing an RPCError refuses the subscription with that error. Publish to the channel as to any:
 * `this.publish("news.eu", data)`, or `this.emit(this.news, data, { channel: "news.eu" })`, which
 * checks the name against the declaration.
 *
 * @example
 * class News extends WebSocketHandler {
 *   @channel("news.*", { requires: Is("is_member") })
 *   news(conn: ClientConnection, channel: string) { return { latest: this.latest.get(channel) ?? null }; }
 * }
 */
export function channel(pattern: string, options: ChannelOptions = {}): ChannelDecorator {
  return function (value: unknown, context?: unknown, descriptor?: PropertyDescriptor): unknown {
    if (typeof context === "string" || typeof context === "symbol") {
      // Legacy decorator (`experimentalDecorators: true`): (prototype, key, descriptor).
      if (typeof descriptor?.value !== "function") throw new TypeError(`@channel can only decorate methods, not '${String(context)}'.`);
      declare(descriptor.value as Function, pattern, options);
      return descriptor;
    }
    const kind = (context as { kind?: unknown } | undefined)?.kind;
    if (context !== undefined && kind !== "method") throw new TypeError(`@channel can only decorate methods, not a ${String(kind)}.`);
    if (typeof value !== "function") throw new TypeError("@channel can only mark functions.");
    declare(value, pattern, options);
    return value;
  } as ChannelDecorator;
}

/** What `@channel(…)` returns: a standard (TC39) method decorator, or a legacy (`experimentalDecorators`) one. */
export interface ChannelDecorator {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  <F extends object>(value: F, context?: ClassMethodDecoratorContext<any, any>): F;
  <F>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<F>): void;
}

/** The declaration a function was marked with by `@channel`, or undefined. */
export function getChannelDeclaration(fn: unknown): ChannelDeclaration | undefined {
  return typeof fn === "function" ? (fn as { [CHANNEL_DECLARATION]?: ChannelDeclaration })[CHANNEL_DECLARATION] : undefined;
}

/** Collects every `@channel` method of a handler instance, in declaration order (the most derived definition wins). */
export function collectChannels(handler: object, stopAt: object): ChannelDeclaration[] {
  const keys = new Set<string>();
  for (let proto = Object.getPrototypeOf(handler); proto && proto !== stopAt; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto)) if (key !== "constructor") keys.add(key);
  }
  const out: ChannelDeclaration[] = [];
  for (const key of keys) {
    const declaration = getChannelDeclaration((handler as Record<string, unknown>)[key]);
    if (declaration !== undefined) out.push(declaration);
  }
  return out;
}

/**
 * The declaration that decides a client's request for `name` (compiled as `glob`): a declaration of
 * exactly that name first, then the first declared pattern that covers it. An exact name is covered
 * by a pattern that matches it; a requested pattern only by the same pattern, or by a `prefix*`
 * declaration whose prefix begins the request's literal prefix (`news.*` covers `news.eu.*`), so
 * every channel the request can match is one the declaration matches. `*` is covered only by `*`.
 */
export function findDeclaration(declarations: readonly ChannelDeclaration[], name: string, glob: GlobPattern): ChannelDeclaration | undefined {
  const exact = declarations.find((d) => d.pattern === name);
  if (exact !== undefined) return exact;
  return declarations.find((d) => {
    if (!d.glob.isPattern) return false;
    if (!glob.isPattern) return d.glob.test(name);
    return d.glob.prefixOnly && glob.prefix.startsWith(d.glob.prefix);
  });
}

/**
 * The channel `emit` publishes to: the declared name, or `requested` (which a pattern declaration
 * requires, and which must match it). @throws TypeError otherwise.
 */
export function emitChannel(declared: unknown, requested: string | undefined): string {
  const declaration = getChannelDeclaration(declared);
  if (declaration === undefined) throw new TypeError("emit: the function is not marked with @channel.");
  const name = requested ?? (declaration.glob.isPattern ? undefined : declaration.pattern);
  if (name === undefined) throw new TypeError(`emit: '${declaration.pattern}' is a pattern; pass { channel } naming one channel it matches.`);
  if (declaration.glob.isPattern ? !declaration.glob.test(name) : name !== declaration.pattern) {
    throw new TypeError(`emit: channel '${name}' is not one '${declaration.pattern}' declares.`);
  }
  return name;
}
