/**
 * Signed cookies for the web page: a base64url JSON payload with its expiry, and an HMAC-SHA256 over it. The key
 * is derived (HKDF) from SLACK_CLIENT_SECRET, one per purpose, so every instance sharing the configuration
 * accepts the same cookies without a shared store, and a cookie made for one purpose (the sign-in flow) is no
 * good for another (the session). The payload is signed, not encrypted: it holds nothing secret (a Slack user
 * id, a name, random state). A tampered, expired or malformed cookie reads as "none", never as an exception.
 *
 * Cookies are parsed here by hand: `cookie` sits in node_modules only as a dependency of Bolt's express, and
 * reading one name from a header is a few lines.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../domain/ports/clock.js';

/**
 * How long a session lasts once signed in: 12 hours, a working day or a long incident, after which Slack is
 * asked again (usually without a click, as the person is still signed in to Slack). There is no sliding renewal:
 * a stolen cookie is worth 12 hours at most.
 */
export const SESSION_LIFETIME_MS = 12 * 60 * 60_000;

/** How long the round trip to Slack's consent page may take before the sign-in must start over. */
export const SIGN_IN_FLOW_LIFETIME_MS = 10 * 60_000;

/** Longer values are refused unread: browsers keep about 4 KB per cookie, so ours never come near it. */
const MAX_VALUE_LENGTH = 4096;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A 32-byte key for one purpose (`session`, `sign-in flow`, `csrf`), derived from the client secret with HKDF-SHA256. */
export function deriveKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'muster web page', purpose, 32));
}

/** HMAC-SHA256 of `data` under `key`, base64url. */
export function mac(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data).digest('base64url');
}

/** Compares two tokens in time independent of where they differ; false for different lengths. */
export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Signs payloads into cookie values and reads them back, with expiry by the given clock. */
export class CookieSigner {
  constructor(
    private readonly key: Buffer,
    private readonly clock: Clock,
  ) {}

  /** A cookie value holding `payload` until `lifetimeMs` from now. */
  sign(payload: unknown, lifetimeMs: number): string {
    const body = Buffer.from(JSON.stringify({ p: payload, exp: this.clock.now() + lifetimeMs })).toString(
      'base64url',
    );
    return `${body}.${mac(this.key, body)}`;
  }

  /** The payload of a value this signer made that has not expired; null for anything else (never throws). */
  verify(value: string): unknown {
    if (value.length > MAX_VALUE_LENGTH) return null;
    const dot = value.indexOf('.');
    if (dot <= 0 || dot !== value.lastIndexOf('.')) return null;
    const body = value.slice(0, dot);
    const signature = value.slice(dot + 1);
    if (!BASE64URL.test(body) || !BASE64URL.test(signature)) return null;
    if (!sameToken(signature, mac(this.key, body))) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { p, exp } = parsed as { p?: unknown; exp?: unknown };
    if (typeof exp !== 'number' || !(exp > this.clock.now())) return null;
    return p ?? null;
  }
}

/**
 * Every value of cookie `name` in a Cookie header, in the order sent (the browser sends the one of the longest
 * path first; a look-alike planted for another path comes later, and fails its signature anyway).
 */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    values.push(value);
  }
  return values;
}

export interface CookieScope {
  /** the path the cookie is sent for: the web page's, `/incidents` (behind a base path, that path first) */
  path: string;
  /** only over https: set when WEB_BASE_URL is https */
  secure: boolean;
}

/**
 * A Set-Cookie value: HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site POSTs, but sent on the
 * top-level GET by which Slack sends the browser back), the scope's Path, Secure under https.
 */
export function setCookie(name: string, value: string, scope: CookieScope, maxAgeMs: number): string {
  return [
    `${name}=${value}`,
    `Path=${scope.path}`,
    `Max-Age=${Math.floor(maxAgeMs / 1000)}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(scope.secure ? ['Secure'] : []),
  ].join('; ');
}

/** A Set-Cookie value that removes cookie `name` of this scope. */
export function clearCookie(name: string, scope: CookieScope): string {
  return [
    `${name}=`,
    `Path=${scope.path}`,
    'Max-Age=0',
    'Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    'HttpOnly',
    'SameSite=Lax',
    ...(scope.secure ? ['Secure'] : []),
  ].join('; ');
}
