import { describe, expect, it } from 'vitest';
import {
  CookieSigner,
  clearCookie,
  cookieValues,
  deriveKey,
  mac,
  SESSION_LIFETIME_MS,
  sameToken,
  setCookie,
} from '../../../src/adapters/web/session-cookie.js';
import { FixedClock } from '../../support/fixed-clock.js';

const key = deriveKey('client-secret-of-the-app', 'session');

function signer(clock = new FixedClock()) {
  return { clock, cookies: new CookieSigner(key, clock) };
}

describe('signed cookies', () => {
  it('reads back what it signed, until it expires', () => {
    const { clock, cookies } = signer();
    const value = cookies.sign({ userId: 'U0ALICE', name: 'Alice <&> "Example"' }, SESSION_LIFETIME_MS);
    expect(value).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(cookies.verify(value)).toEqual({ userId: 'U0ALICE', name: 'Alice <&> "Example"' });
    clock.advance(SESSION_LIFETIME_MS - 1);
    expect(cookies.verify(value)).toEqual({ userId: 'U0ALICE', name: 'Alice <&> "Example"' });
    clock.advance(1);
    expect(cookies.verify(value)).toBeNull();
  });

  it('lasts 12 hours', () => {
    expect(SESSION_LIFETIME_MS).toBe(12 * 60 * 60 * 1000);
  });

  it('is accepted by every instance sharing the client secret, and by no other secret or purpose', () => {
    const clock = new FixedClock();
    const value = new CookieSigner(deriveKey('client-secret-of-the-app', 'session'), clock).sign(
      { a: 1 },
      1000,
    );
    expect(new CookieSigner(deriveKey('client-secret-of-the-app', 'session'), clock).verify(value)).toEqual({
      a: 1,
    });
    expect(new CookieSigner(deriveKey('another-secret', 'session'), clock).verify(value)).toBeNull();
    expect(
      new CookieSigner(deriveKey('client-secret-of-the-app', 'sign-in flow'), clock).verify(value),
    ).toBeNull();
  });

  it('reads a tampered cookie as none: payload, signature or expiry changed', () => {
    const { cookies } = signer();
    const value = cookies.sign({ userId: 'U0ALICE' }, 60_000);
    const [body, signature] = value.split('.') as [string, string];
    const decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as {
      p: unknown;
      exp: number;
    };
    const forged = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');
    expect(cookies.verify(`${forged({ ...decoded, p: { userId: 'U0MALLORY' } })}.${signature}`)).toBeNull();
    expect(cookies.verify(`${forged({ ...decoded, exp: decoded.exp + 1e9 })}.${signature}`)).toBeNull();
    const flipped = `${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`;
    expect(cookies.verify(`${body}.${flipped}`)).toBeNull();
    expect(cookies.verify(`${body}.${signature.slice(0, 20)}`)).toBeNull();
  });

  it.each([
    ['empty', ''],
    ['no signature', 'abc'],
    ['empty parts', '.'],
    ['three parts', 'a.b.c'],
    ['not base64url', 'a+b/c.d=e'],
    ['huge', `${'a'.repeat(5000)}.b`],
    ['emoji', '🔥.🔥'],
  ])('reads a malformed cookie as none: %s', (_what, value) => {
    expect(signer().cookies.verify(value)).toBeNull();
  });

  it('reads a well-signed value that is not a payload as none: not JSON, no expiry, a past expiry', () => {
    const { cookies } = signer();
    // signed with the key itself, to reach the checks behind the signature
    const signed = (text: string) => {
      const body = Buffer.from(text).toString('base64url');
      return `${body}.${mac(key, body)}`;
    };
    for (const text of [
      'not json',
      '"a string"',
      'null',
      '{"p":1}',
      '{"p":1,"exp":"soon"}',
      '{"p":1,"exp":0}',
    ]) {
      expect(cookies.verify(signed(text))).toBeNull();
    }
    expect(cookies.verify(signed(`{"p":1,"exp":${Date.UTC(2030, 0, 1)}}`))).toBe(1);
  });
});

describe('cookie headers', () => {
  it('finds every value of a name, and only of that name', () => {
    expect(cookieValues('a=1; muster_session=xyz; b=2; muster_session="q.r"', 'muster_session')).toEqual([
      'xyz',
      'q.r',
    ]);
    expect(cookieValues('muster_session_old=1; xmuster_session=2', 'muster_session')).toEqual([]);
    expect(cookieValues(undefined, 'muster_session')).toEqual([]);
    expect(cookieValues('garbage;;=;', 'muster_session')).toEqual([]);
  });

  it('sets HttpOnly, SameSite=Lax and the path, and Secure only under https', () => {
    expect(setCookie('s', 'v', { path: '/incidents', secure: false }, SESSION_LIFETIME_MS)).toBe(
      's=v; Path=/incidents; Max-Age=43200; HttpOnly; SameSite=Lax',
    );
    expect(setCookie('s', 'v', { path: '/ops/incidents', secure: true }, 600_000)).toBe(
      's=v; Path=/ops/incidents; Max-Age=600; HttpOnly; SameSite=Lax; Secure',
    );
    expect(clearCookie('s', { path: '/incidents', secure: true })).toBe(
      's=; Path=/incidents; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax; Secure',
    );
  });

  it('compares tokens of any length without throwing', () => {
    expect(sameToken('abc', 'abc')).toBe(true);
    expect(sameToken('abc', 'abd')).toBe(false);
    expect(sameToken('abc', 'abcd')).toBe(false);
    expect(sameToken('', '')).toBe(true);
  });
});
