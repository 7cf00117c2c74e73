/**
 * Sign in with Slack (OpenID Connect) as the workspace plays it: the authorize step in which a person consents
 * (`GET /openid/connect/authorize`), the codes it hands out and the user tokens `openid.connect.token` trades
 * them for. Codes and tokens live only in memory, never in the workspace's snapshot: Slack's codes expire in
 * minutes, and a restarted sandbox asks people to sign in again, as a new deployment of Slack's would not.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { SlackApiError, type UserRecord } from './slack-workspace-types.js';

/** Who signs in: a person of this workspace or of another one (Slack lets anyone pick their own workspace). */
export interface OpenIdPerson {
  userId: string;
  teamId: string;
  teamName: string;
  name: string;
  email: string;
  givenName: string;
  familyName: string;
}

/** What the next visit to the authorize page does: consent as someone, or decline (`error=access_denied`). */
export type OpenIdConsent = { person: OpenIdPerson } | { deny: true };

interface Grant {
  person: OpenIdPerson;
  clientId: string;
  redirectUri: string;
  nonce: string | undefined;
  expiresAt: number;
}

/** How long a code may wait for `openid.connect.token` (Slack: ten minutes). */
export const OPENID_CODE_TTL_MS = 10 * 60_000;
/** Codes and tokens kept, oldest dropped first: the sandbox runs for days and anyone may open its authorize page. */
export const OPENID_GRANTS_CAP = 500;

/** The workspace as the provider sees it (the SlackWorkspace passes itself). */
export interface OpenIdWorkspace {
  readonly teamId: string;
  team(): { name: string };
  user(id: string): UserRecord | undefined;
  users(): UserRecord[];
  now(): number;
}

export interface OpenIdOptions {
  clientId?: string;
  clientSecret?: string;
}

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function keepLatest<K, V>(map: Map<K, V>, cap: number): void {
  for (const key of map.keys()) {
    if (map.size <= cap) return;
    map.delete(key);
  }
}

export class OpenIdProvider {
  /** the app's client id and secret, which the authorize page and `openid.connect.token` check */
  readonly clientId: string;
  readonly clientSecret: string;
  private consent: OpenIdConsent | null = null;
  private readonly codes = new Map<string, Grant>();
  private readonly tokens = new Map<string, OpenIdPerson>();
  // signs the id_tokens: their signature is there for their shape (the app reads them over TLS, see its notes)
  private readonly idTokenKey = randomBytes(32);

  constructor(
    private readonly ws: OpenIdWorkspace,
    opts: OpenIdOptions = {},
  ) {
    this.clientId = opts.clientId ?? `${randomBytes(5).readUIntBE(0, 5)}.${randomBytes(5).readUIntBE(0, 5)}`;
    this.clientSecret = opts.clientSecret ?? randomBytes(16).toString('hex');
  }

  /** From now on the authorize page signs in this person of the workspace; throws for an unknown id. */
  signInAs(userId: string): void {
    const user = this.ws.user(userId);
    if (!user || user.isBot) throw new Error(`no person ${userId} in the workspace`);
    this.consent = { person: this.personOf(user) };
  }

  /** From now on the authorize page signs in someone of another workspace. */
  signInFromOtherWorkspace(person: OpenIdPerson): void {
    this.consent = { person };
  }

  /** From now on the authorize page answers as a person who pressed Cancel: `error=access_denied`. */
  declineSignIn(): void {
    this.consent = { deny: true };
  }

  /** The first person of the workspace, until a test chooses. */
  private current(): OpenIdConsent {
    if (this.consent) return this.consent;
    const first = this.ws.users().find((u) => !u.isBot && !u.deleted);
    if (!first) return { deny: true };
    return { person: this.personOf(first) };
  }

  private personOf(u: UserRecord): OpenIdPerson {
    return {
      userId: u.id,
      teamId: this.ws.teamId,
      teamName: this.ws.team().name,
      name: u.realName,
      email: u.email ?? `${u.name}@example.com`,
      givenName: u.firstName,
      familyName: u.lastName,
    };
  }

  /**
   * The authorize page: checks what Slack checks before showing its consent screen (client id, a redirect URL,
   * the openid scope, response_type=code), then sends the browser back to the app as the chosen person would.
   */
  authorize(query: URLSearchParams, res: ServerResponse): void {
    const problem = this.authorizeProblem(query);
    if (problem) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(problem);
      return;
    }
    const redirectUri = query.get('redirect_uri') as string;
    const state = query.get('state') as string;
    const back = new URL(redirectUri);
    const consent = this.current();
    if ('deny' in consent) {
      back.searchParams.set('error', 'access_denied');
    } else {
      const code = `${this.ws.now()}.${randomBytes(16).toString('hex')}`;
      this.codes.set(code, {
        person: consent.person,
        clientId: this.clientId,
        redirectUri,
        nonce: query.get('nonce') ?? undefined,
        expiresAt: this.ws.now() + OPENID_CODE_TTL_MS,
      });
      keepLatest(this.codes, OPENID_GRANTS_CAP);
      back.searchParams.set('code', code);
    }
    back.searchParams.set('state', state);
    res.writeHead(302, { location: back.toString(), 'cache-control': 'no-store' });
    res.end();
  }

  /** Why the authorize page refuses these parameters (Slack's error code), or null. */
  private authorizeProblem(query: URLSearchParams): string | null {
    if (query.get('client_id') !== this.clientId) return 'invalid_client_id';
    if (query.get('response_type') !== 'code') return 'unsupported_response_type';
    if (!(query.get('scope') ?? '').split(/[\s,]+/).includes('openid')) return 'invalid_scope';
    let back: URL;
    try {
      back = new URL(query.get('redirect_uri') ?? '');
    } catch {
      return 'bad_redirect_uri';
    }
    if (back.protocol !== 'https:' && back.protocol !== 'http:') return 'bad_redirect_uri';
    if (!query.get('state')) return 'missing_state';
    return null;
  }

  /** `openid.connect.token`: a code for a user token and an id_token; each code works once. */
  exchange(a: { clientId?: string; clientSecret?: string; code?: string; redirectUri?: string }): {
    access_token: string;
    token_type: 'Bearer';
    id_token: string;
  } {
    if (a.clientId !== this.clientId) throw new SlackApiError('invalid_client_id');
    if (a.clientSecret !== this.clientSecret) throw new SlackApiError('bad_client_secret');
    const grant = a.code ? this.codes.get(a.code) : undefined;
    if (!grant || !a.code) throw new SlackApiError('invalid_code');
    this.codes.delete(a.code);
    if (grant.expiresAt <= this.ws.now()) throw new SlackApiError('invalid_code');
    if (a.redirectUri !== grant.redirectUri) throw new SlackApiError('bad_redirect_uri');
    const token = `xoxp-${randomBytes(6).readUIntBE(0, 6)}-${randomBytes(24).toString('hex')}`;
    this.tokens.set(token, grant.person);
    keepLatest(this.tokens, OPENID_GRANTS_CAP);
    return { access_token: token, token_type: 'Bearer', id_token: this.idToken(grant) };
  }

  /** `openid.connect.userInfo`: the claims of the person a user token belongs to. */
  userInfo(token: string | undefined): Record<string, unknown> {
    if (!token) throw new SlackApiError('not_authed');
    const person = this.tokens.get(token);
    if (!person) throw new SlackApiError('invalid_auth');
    return this.claims(person);
  }

  private claims(p: OpenIdPerson): Record<string, unknown> {
    return {
      sub: p.userId,
      'https://slack.com/user_id': p.userId,
      'https://slack.com/team_id': p.teamId,
      'https://slack.com/team_name': p.teamName,
      email: p.email,
      email_verified: true,
      date_email_verified: 1_700_000_000,
      name: p.name,
      picture: 'https://secure.gravatar.com/avatar/0.jpg?s=512',
      given_name: p.givenName,
      family_name: p.familyName,
      locale: 'en-US',
    };
  }

  private idToken(g: Grant): string {
    const now = Math.floor(this.ws.now() / 1000);
    const header = b64url({ typ: 'JWT', alg: 'HS256', kid: 'sandbox' });
    const payload = b64url({
      iss: 'https://slack.com',
      aud: g.clientId,
      exp: now + 3600,
      iat: now,
      auth_time: now,
      ...(g.nonce !== undefined ? { nonce: g.nonce } : {}),
      ...this.claims(g.person),
    });
    const signature = createHmac('sha256', this.idTokenKey)
      .update(`${header}.${payload}`)
      .digest('base64url');
    return `${header}.${payload}.${signature}`;
  }
}
