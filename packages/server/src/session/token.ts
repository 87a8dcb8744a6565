import { randomBytes } from "node:crypto";

/** A resume token: 144 random bits from the CSPRNG, base64url (24 characters). */
export function newToken(): string {
  return randomBytes(18).toString("base64url");
}

const TOKEN = /^[A-Za-z0-9_-]{24}$/;

/** True for text shaped like a token (anything else is refused without a lookup). */
export function isToken(text: string): boolean {
  return TOKEN.test(text);
}
