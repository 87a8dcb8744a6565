import type { Logger } from "../logger.js";
import type { ResolvedResume } from "./resumeOptions.js";
import type { ResumeRequest } from "./sessions.js";
import { parseSnapshot } from "./sharedSessionStore.js";
import type { SessionStore } from "./sessionStore.js";
import { isToken } from "./token.js";

/** A resume request after the shared store was asked, and how to undo its take if the socket never opens. */
export interface LookedUp {
  readonly request: ResumeRequest;
  readonly undo?: () => void;
}

/**
 * During the upgrade, with a shared store: takes the token there (atomically, so a token resumes once in the
 * whole cluster). A session this node holds resumes here as without a shared store (its snapshot, taken, is
 * rewritten under the next token); another node's opens as "moved"; a token the shared store retired is refused
 * with its reason. When the shared store cannot be reached, only this node's sessions resume.
 */
export async function lookUpShared(options: ResolvedResume, store: SessionStore, request: ResumeRequest, logger: Logger): Promise<LookedUp> {
  const shared = options.store;
  const token = request.token;
  if (shared === undefined || token === undefined || !isToken(token)) return { request };
  let found;
  try {
    found = await shared.take(token);
  } catch (err) {
    logger.warn("shared session store: take failed; only this node's sessions can resume", err);
    return { request };
  }
  const local = store.has?.(token) === true;
  if ("reason" in found) return { request: found.reason === "unknown" || (local && found.reason !== "used") ? request : { ...request, failure: found.reason } };
  const undo = (): void => void shared.restore(token, found.snapshot, options.windowMs).catch((err: unknown) => logger.warn("shared session store: restore failed", err));
  if (local) return { request, undo };
  const moved = parseSnapshot(found.snapshot);
  return moved === undefined ? { request: { ...request, failure: "unknown" } } : { request: { ...request, moved }, undo };
}
