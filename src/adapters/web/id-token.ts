/**
 * The claims of Slack's id_token, read for its nonce (and audience) only.
 *
 * Its signature is not checked: no JOSE library is installed, and it needs none here. The id_token comes
 * straight from `openid.connect.token`, over TLS, in answer to our client secret; OpenID Connect Core (3.1.3.7)
 * lets a client that receives it that way rely on TLS instead of the signature. Who signed in is then read from
 * `openid.connect.userInfo`, over TLS too. The nonce check ties the token to the sign-in this browser started.
 */

/** Far above any real one (Slack's hold a few claims), so a hostile answer is not parsed. */
const MAX_ID_TOKEN = 1_000_000;

/** The payload of a JWT as an object, or null when it is not one (never throws). */
export function idTokenClaims(idToken: unknown): Record<string, unknown> | null {
  if (typeof idToken !== 'string' || idToken.length > MAX_ID_TOKEN) return null;
  const parts = idToken.split('.');
  if (parts.length !== 3 || !parts[1] || !/^[A-Za-z0-9_-]+$/.test(parts[1])) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Whether the id_token was issued for this client (`aud`) and this sign-in (`nonce`). */
export function idTokenMatches(idToken: unknown, clientId: string, nonce: string): boolean {
  const claims = idTokenClaims(idToken);
  if (!claims) return false;
  const aud = claims['aud'];
  const audiences = Array.isArray(aud) ? aud : [aud];
  return audiences.includes(clientId) && claims['nonce'] === nonce;
}
