import type { ClientConnection } from "../connection.js";

/** The control request a client sends to let a stream send more chunks: `$credit(call_id, n)`. */
export const CREDIT_METHOD = "$credit";

/** Chunks one stream may still send before the client grants more. */
export interface Credit {
  left: number;
  /** Resolves the stream's wait for credit (set while it waits). */
  wake: (() => void) | undefined;
}

/** One connection's credits: of its running streams, and the one granted ahead of its request. */
interface CreditBook {
  readonly live: Map<string, Credit>;
  earlyId: string | undefined;
  earlyCredit: number;
}

const books = new WeakMap<ClientConnection, CreditBook>();
/** Connections holding a credit granted ahead of its request: the usual request skips the lookup when none does. */
var earlyHeld = 0;

function bookOf(conn: ClientConnection): CreditBook {
  let book = books.get(conn);
  if (book === undefined) books.set(conn, (book = { live: new Map(), earlyId: undefined, earlyCredit: 0 }));
  return book;
}

/**
 * `$credit(call_id, n)`: `n` more chunks for the caller's running stream `call_id` (true), or,
 * when no such stream runs, the initial window of the request with that call id, which the
 * client sends right behind (false). A connection holds one such early grant; a later one
 * replaces it, so a grant that arrives after its stream ended costs nothing.
 */
export function grantCredit(conn: ClientConnection, callId: string, n: number): boolean {
  const book = bookOf(conn);
  const credit = book.live.get(callId);
  if (credit !== undefined) {
    credit.left = Math.min(credit.left + n, Number.MAX_SAFE_INTEGER);
    credit.wake?.();
    return true;
  }
  if (book.earlyId === undefined) earlyHeld++;
  book.earlyId = callId;
  book.earlyCredit = n;
  return false;
}

/** The initial window granted ahead of the request `callId` (taken), or undefined: no flow control. */
export function takeEarlyCredit(conn: ClientConnection, callId: string): number | undefined {
  if (earlyHeld === 0) return undefined;
  const book = books.get(conn);
  if (book?.earlyId === undefined) return undefined;
  const n = book.earlyId === callId ? book.earlyCredit : undefined;
  book.earlyId = undefined;
  earlyHeld--;
  return n;
}

/** Starts the credit account of a stream that has a window. */
export function openCredit(conn: ClientConnection, callId: string, n: number): Credit {
  const credit: Credit = { left: n, wake: undefined };
  bookOf(conn).live.set(callId, credit);
  return credit;
}

/** Ends a stream's account (the stream ended or was cancelled; only `which`, if given), waking it if it waits. */
export function closeCredit(conn: ClientConnection, callId: string, which?: Credit): void {
  const book = books.get(conn);
  const credit = book?.live.get(callId);
  if (credit === undefined || (which !== undefined && credit !== which)) return;
  book?.live.delete(callId);
  credit.wake?.();
}

/** Resolves once the stream has credit again (or its account was closed). */
export function awaitCredit(credit: Credit): Promise<void> {
  return new Promise((resolve) => {
    credit.wake = () => {
      credit.wake = undefined;
      resolve();
    };
  });
}

/** Forgets a connection's credits (it disconnected), so its early grant no longer costs other requests a lookup. */
export function forgetCredits(conn: ClientConnection): void {
  const book = books.get(conn);
  if (book === undefined) return;
  if (book.earlyId !== undefined) earlyHeld--;
  books.delete(conn);
}
