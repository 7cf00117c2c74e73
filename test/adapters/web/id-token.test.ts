import { describe, expect, it } from 'vitest';
import { idTokenClaims, idTokenMatches } from '../../../src/adapters/web/id-token.js';

const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const jwt = (claims: unknown) => `${part({ alg: 'RS256' })}.${part(claims)}.c2lnbmF0dXJl`;

describe("Slack's id_token", () => {
  it('matches when issued for this client and this sign-in', () => {
    expect(idTokenMatches(jwt({ aud: '1.2', nonce: 'n' }), '1.2', 'n')).toBe(true);
    expect(idTokenMatches(jwt({ aud: ['x', '1.2'], nonce: 'n' }), '1.2', 'n')).toBe(true);
  });

  it('does not match another client, another nonce, or none', () => {
    expect(idTokenMatches(jwt({ aud: '9.9', nonce: 'n' }), '1.2', 'n')).toBe(false);
    expect(idTokenMatches(jwt({ aud: '1.2', nonce: 'other' }), '1.2', 'n')).toBe(false);
    expect(idTokenMatches(jwt({ aud: '1.2' }), '1.2', 'n')).toBe(false);
  });

  it.each([
    ['nothing', undefined],
    ['a number', 42],
    ['two parts', 'a.b'],
    ['not base64url', 'a.b+c/d.e'],
    ['not JSON', `a.${Buffer.from('not json').toString('base64url')}.c`],
    ['a JSON array', jwt([1, 2])],
    ['JSON null', jwt(null)],
    ['huge', `a.${'b'.repeat(1_000_001)}.c`],
  ])('reads %s as no claims, without throwing', (_what, token) => {
    expect(idTokenClaims(token)).toBeNull();
    expect(idTokenMatches(token, '1.2', 'n')).toBe(false);
  });
});
