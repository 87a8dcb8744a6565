import { OptionalKind, type TSchema } from "@sinclair/typebox";
import { getRateLimit, type PredicateLike, type RateLimitConfig } from "@webshocket/guards";
import { compileChecker } from "@webshocket/protocol";
import { readParameters, type ParameterInfo } from "./parameters.js";
import { checkReturns } from "./checkReturns.js";
import { getRpcMethodOptions, type RpcMethodOptions } from "./rpcMethod.js";

/** Names starting with this are reserved for the protocol (e.g. `$cancel`). */
export const RESERVED_PREFIX = "$";

/** Everything dispatch needs to know about one callable method. */
export interface RpcEntry {
  /** The name clients call (the alias when there is one). */
  readonly name: string;
  readonly fn: Function;
  /** Declared parameters after the connection parameter. */
  readonly params: readonly ParameterInfo[];
  readonly requires: PredicateLike<never> | undefined;
  readonly rateLimit: RateLimitConfig | undefined;
  /** Checks the bound arguments; returns a problem description or undefined. */
  readonly validate: ((args: readonly unknown[]) => string | undefined) | undefined;
  /** True for async generator (or generator) functions: streaming RPCs. */
  readonly streaming: boolean;
  /**
   * Positional arguments a call without keyword arguments needs at least (0: a trailing parameter may be
   * left out, as in JavaScript; a `params` schema decides) and takes at most (Infinity with a rest parameter).
   */
  readonly minArgs: number;
  /** Positional arguments a call must give: those up to the last one its `params` schema requires (0 without schemas). */
  readonly requiredArgs: number;
  readonly maxArgs: number;
}

const AsyncGeneratorFunction = Object.getPrototypeOf(async function* () {}).constructor as Function;
const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor as Function;

function compileParams(
  schemas: RpcMethodOptions["params"],
  params: ParameterInfo[],
): { params: ParameterInfo[]; validate: RpcEntry["validate"]; requiredArgs: number } {
  if (schemas === undefined) return { params, validate: undefined, requiredArgs: 0 };
  const list: Array<[string, TSchema]> = Array.isArray(schemas)
    ? (schemas as readonly TSchema[]).map((s, i) => [params[i]?.name ?? `arg${i}`, s])
    : Object.entries(schemas as Record<string, TSchema>);
  const named: ParameterInfo[] = Array.isArray(schemas)
    ? params
    : list.map(([name, schema], i) => ({
        name,
        optional: (params[i]?.optional ?? false) || isOptional(schema),
        rest: false,
      }));
  const checkers = list.map(([name, schema]) => ({ name, optional: isOptional(schema), check: compileChecker<unknown>(schema) }));
  const validate = (args: readonly unknown[]): string | undefined => {
    for (let i = 0; i < checkers.length; i++) {
      const c = checkers[i] as (typeof checkers)[number];
      const value = args[i];
      if (value === undefined) {
        if (c.optional || named[i]?.optional) continue;
        if (i >= args.length) return `missing required argument '${c.name}'`;
      }
      if (!c.check.check(value)) return `argument '${c.name}': ${c.check.firstError(value)}`;
    }
    return undefined;
  };
  let requiredArgs = 0;
  checkers.forEach((c, i) => {
    if (!c.optional && !named[i]?.optional) requiredArgs = i + 1;
  });
  return { params: named, validate, requiredArgs };
}

function isOptional(schema: TSchema): boolean {
  return (schema as { [OptionalKind]?: unknown })[OptionalKind] === "Optional";
}

/** How many positional arguments bind without keyword arguments (what bindArguments' positional fast path accepts). */
function positionalRange(params: readonly ParameterInfo[]): { minArgs: number; maxArgs: number } {
  const rest = params.some((p) => p.rest);
  return { minArgs: 0, maxArgs: rest ? Number.POSITIVE_INFINITY : params.length };
}

/** Builds the entry for one marked function. */
export function createEntry(name: string, fn: Function, options: RpcMethodOptions): RpcEntry {
  if (name.startsWith(RESERVED_PREFIX)) throw new Error(`RPC method name '${name}' is reserved (names starting with '$').`);
  const declared = readParameters(fn).slice(1); // the first parameter is the connection
  const { params, validate, requiredArgs } = compileParams(options.params, declared);
  const streaming = fn instanceof AsyncGeneratorFunction || fn instanceof GeneratorFunction;
  return {
    name,
    fn: checkReturns(name, fn, options, streaming),
    params,
    requires: options.requires as PredicateLike<never> | undefined,
    rateLimit: getRateLimit(fn),
    validate,
    streaming,
    requiredArgs,
    ...positionalRange(params),
  };
}

/**
 * Collects every `@rpcMethod` of a handler instance (the most derived definition wins) and
 * every `rpc(...)` field (own enumerable properties holding a marked function).
 */
export function collectRpcMethods(handler: object, stopAt: object): Map<string, RpcEntry> {
  const names = new Set<string>(Object.keys(handler));
  for (let proto = Object.getPrototypeOf(handler); proto && proto !== stopAt; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto)) if (key !== "constructor") names.add(key);
  }
  const entries = new Map<string, RpcEntry>();
  for (const key of names) {
    const fn = (handler as Record<string, unknown>)[key];
    const options = getRpcMethodOptions(fn);
    if (options === undefined) continue;
    const name = options.alias ?? key;
    if (entries.has(name)) throw new Error(`Two RPC methods are exposed as '${name}'.`);
    entries.set(name, createEntry(name, fn as Function, options));
  }
  return entries;
}
