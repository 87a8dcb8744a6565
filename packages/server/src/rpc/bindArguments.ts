import type { ParameterInfo } from "./parameters.js";

/** The outcome of binding a request's args and kwargs to a method's parameters. */
export type BindResult = { ok: true; args: unknown[] } | { ok: false; problem: string };

/**
 * Binds positional `args` and named `kwargs` to the declared parameters (the
 * connection parameter already removed), the way Python binds a call, with
 * JavaScript's rule for what is missing: a parameter nobody gave is `undefined`
 * (its default, if any, applies; a `params` schema decides whether that is allowed).
 * Too many positional arguments and unknown or repeated keywords are errors.
 */
export function bindArguments(params: readonly ParameterInfo[], args: readonly unknown[], kwargs: Record<string, unknown>): BindResult {
  if (positionalFits(params, args.length, kwargs)) return { ok: true, args: args as unknown[] };
  const restIndex = params.findIndex((p) => p.rest);
  const fixed = restIndex === -1 ? params.length : restIndex;
  if (restIndex === -1 && args.length > fixed) {
    return { ok: false, problem: `takes ${fixed} argument${fixed === 1 ? "" : "s"} but ${args.length} were given` };
  }
  const out: unknown[] = args.slice();
  const filled: boolean[] = params.map((_, i) => i < args.length);
  for (const key of Object.keys(kwargs)) {
    const index = params.findIndex((p, i) => p.name === key && i < fixed);
    if (index === -1) return { ok: false, problem: `got an unexpected keyword argument '${key}'` };
    if (filled[index]) return { ok: false, problem: `got multiple values for argument '${key}'` };
    while (out.length < index) out.push(undefined);
    out[index] = kwargs[key];
    filled[index] = true;
  }
  return { ok: true, args: out };
}

/**
 * The common case, checked without allocating: no keyword arguments and no more
 * positional ones than parameters (unless a rest parameter takes them). The args
 * array is then used as it is.
 */
function positionalFits(params: readonly ParameterInfo[], given: number, kwargs: Record<string, unknown>): boolean {
  if (!noKeywords(kwargs)) return false;
  for (let i = 0; i < params.length; i++) if ((params[i] as ParameterInfo).rest) return true;
  return given <= params.length;
}

/** True when `kwargs` has no keys (checked without allocating). */
export function noKeywords(kwargs: Record<string, unknown>): boolean {
  for (const _ in kwargs) return false;
  return true;
}
