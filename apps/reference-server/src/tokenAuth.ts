import { timingSafeEqual } from "node:crypto";
import type { Authenticate } from "@webshocket/server";

/** The token a request presents: `?token=…` or `Authorization: Bearer …`. */
export function presentedToken(query: URLSearchParams, authorization: string | undefined): string | undefined {
  const fromQuery = query.get("token");
  if (fromQuery !== null) return fromQuery;
  const m = /^Bearer\s+(.+)$/i.exec(authorization ?? "");
  return m?.[1];
}

/** An `authenticate` hook accepting exactly `expected` (compared in constant time); others get 401. */
export function tokenAuth(expected: string): Authenticate {
  const want = Buffer.from(expected);
  return (request) => {
    const got = Buffer.from(presentedToken(request.query, request.headers.authorization) ?? "");
    return got.length === want.length && timingSafeEqual(got, want);
  };
}
