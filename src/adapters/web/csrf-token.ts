/**
 * The CSRF token of a signed-in page's forms: an HMAC of the session id under a key of its own, so it needs no
 * storage, changes with every sign-in, and is useless to anyone who cannot read the page.
 */
import { mac, sameToken } from './session-cookie.js';

export class CsrfTokens {
  constructor(private readonly key: Buffer) {}

  /** The token of the session `sessionId`. */
  tokenFor(sessionId: string): string {
    return mac(this.key, `csrf:${sessionId}`);
  }

  /** Whether `given` (a form field, maybe missing) is the token of the session `sessionId`. */
  matches(sessionId: string, given: string | null): boolean {
    return given !== null && sameToken(given, this.tokenFor(sessionId));
  }
}

/** One field of an `application/x-www-form-urlencoded` body, or null. */
export function formField(body: Buffer, name: string): string | null {
  return new URLSearchParams(body.toString('utf8')).get(name);
}
