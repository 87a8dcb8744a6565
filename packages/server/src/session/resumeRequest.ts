import type { SessionSnapshot } from "./sharedSessionStore.js";
import type { ResumeFailure } from "./sessionStore.js";

/** What a client asked for in its upgrade's `resume` query parameter. */
export interface ResumeRequest {
  /** The token to resume with; undefined: a new session. */
  readonly token: string | undefined;
  /** The last message sequence number the client has seen. */
  readonly seen: number;
  /** Found in the shared store (another node's session): the connection opens with it ("moved"). */
  readonly moved?: SessionSnapshot;
  /** Why the shared store refused the token (the session, if this node has one, is not resumed). */
  readonly failure?: ResumeFailure;
}


/**
 * Reads `resume`: `<token>.<last seen>` resumes, an empty token (`resume=`, `resume=.0`) asks for a new
 * session; undefined when absent. Malformed text is a token no session has.
 */
export function resumeRequest(query: URLSearchParams): ResumeRequest | undefined {
  const value = query.get("resume");
  if (value === null) return undefined;
  const dot = value.indexOf(".");
  const token = dot < 0 ? value : value.slice(0, dot);
  if (token === "") return { token: undefined, seen: 0 };
  const seen = dot < 0 ? Number.NaN : Number(value.slice(dot + 1));
  return { token, seen: Number.isSafeInteger(seen) && seen >= 0 ? seen : -1 };
}
