/**
 * Sign in with Slack as the emulated workspace plays it: the authorize page's checks and consent, the single-use,
 * expiring codes of openid.connect.token, and the user tokens of openid.connect.userInfo.
 */
import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OPENID_CODE_TTL_MS } from '../src/slack-openid.js';
import { type FakeSlack, startFakeSlack } from '../../../test/fakes/fake-slack.js';

let now = Date.UTC(2026, 10, 23, 9);
let fake: FakeSlack;
// no bot token: these methods check the app's client credentials, or the user token they minted
let client: WebClient;
const REDIRECT = 'https://muster.example.com/incidents/auth/callback';

beforeEach(async () => {
  now = Date.UTC(2026, 10, 23, 9);
  fake = await startFakeSlack({ clientId: '111.222', clientSecret: 'shh-its-the-secret', clock: () => now });
  client = new WebClient(undefined, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
});
afterEach(() => fake.close());

const slackError = (call: Promise<unknown>) =>
  call.then(
    () => 'ok',
    (e: { data?: { error?: string } }) => e.data?.error,
  );

async function authorize(params: Record<string, string>): Promise<Response> {
  const query = new URLSearchParams({
    response_type: 'code',
    scope: 'openid profile email',
    client_id: '111.222',
    state: 'the-state',
    nonce: 'the-nonce',
    redirect_uri: REDIRECT,
    ...params,
  });
  for (const [k, v] of Object.entries(params)) if (v === '') query.delete(k);
  return fetch(`${fake.baseUrl}/openid/connect/authorize?${query}`, { redirect: 'manual' });
}

async function codeFor(params: Record<string, string> = {}): Promise<string> {
  const res = await authorize(params);
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!).searchParams.get('code')!;
}

const exchange = (code: string, over: Record<string, string> = {}) =>
  client.openid.connect.token({
    client_id: '111.222',
    client_secret: 'shh-its-the-secret',
    code,
    redirect_uri: REDIRECT,
    ...over,
  });

describe('the authorize page', () => {
  it('sends the browser back with a code and the state, as the first person of the workspace by default', async () => {
    const res = await authorize({});
    const back = new URL(res.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('the-state');
    const token = await exchange(back.searchParams.get('code')!);
    expect(token).toMatchObject({
      ok: true,
      token_type: 'Bearer',
      access_token: expect.stringMatching(/^xoxp-/),
    });
    const idToken = JSON.parse(Buffer.from(token.id_token!.split('.')[1]!, 'base64url').toString('utf8'));
    expect(idToken).toMatchObject({
      aud: '111.222',
      nonce: 'the-nonce',
      sub: 'U0ALICE',
      iss: 'https://slack.com',
    });
    expect(await client.openid.connect.userInfo({ token: token.access_token! })).toMatchObject({
      ok: true,
      sub: 'U0ALICE',
      'https://slack.com/user_id': 'U0ALICE',
      'https://slack.com/team_id': 'T0MUSTER',
      'https://slack.com/team_name': 'Muster Sandbox',
      email: 'alice@example.com',
      email_verified: true,
      name: 'Alice Example',
      given_name: 'Alice',
      family_name: 'Example',
      locale: 'en-US',
    });
  });

  it.each([
    ['an unknown client_id', { client_id: '999.999' }, 'invalid_client_id'],
    ['no state', { state: '' }, 'missing_state'],
    ['no redirect_uri', { redirect_uri: '' }, 'bad_redirect_uri'],
    ['a redirect_uri that is no URL', { redirect_uri: '/incidents/auth/callback' }, 'bad_redirect_uri'],
    ['a javascript: redirect_uri', { redirect_uri: 'javascript:alert(1)' }, 'bad_redirect_uri'],
    ['no openid scope', { scope: 'profile email' }, 'invalid_scope'],
    ['another response_type', { response_type: 'token' }, 'unsupported_response_type'],
  ])('refuses %s with 400', async (_what, params, error) => {
    const res = await authorize(params);
    expect(res.status).toBe(400);
    expect(await res.text()).toBe(error);
  });

  it('answers access_denied for a person who declines, and signs in whoever a test chooses', async () => {
    fake.workspace.openId.declineSignIn();
    const denied = new URL((await authorize({})).headers.get('location')!);
    expect(Object.fromEntries(denied.searchParams)).toEqual({ error: 'access_denied', state: 'the-state' });
    fake.workspace.openId.signInAs('U0CAROL');
    const token = await exchange(await codeFor());
    expect((await client.openid.connect.userInfo({ token: token.access_token! })).sub).toBe('U0CAROL');
    expect(() => fake.workspace.openId.signInAs('U0MUSTERBOT')).toThrow('no person U0MUSTERBOT');
  });
});

describe('openid.connect.token and userInfo', () => {
  it('checks the client id, the client secret and the redirect_uri', async () => {
    expect(await slackError(exchange(await codeFor(), { client_id: '999.999' }))).toBe('invalid_client_id');
    expect(await slackError(exchange(await codeFor(), { client_secret: 'guess' }))).toBe('bad_client_secret');
    expect(await slackError(exchange(await codeFor(), { redirect_uri: 'https://evil.example/cb' }))).toBe(
      'bad_redirect_uri',
    );
  });

  it('takes each code once, and only for ten minutes', async () => {
    const code = await codeFor();
    expect(await slackError(exchange(code))).toBe('ok');
    expect(await slackError(exchange(code))).toBe('invalid_code');
    expect(await slackError(exchange('made-up'))).toBe('invalid_code');
    const late = await codeFor();
    now += OPENID_CODE_TTL_MS;
    expect(await slackError(exchange(late))).toBe('invalid_code');
  });

  it('answers userInfo only for a user token it minted', async () => {
    expect(await slackError(client.openid.connect.userInfo())).toBe('not_authed');
    expect(await slackError(client.openid.connect.userInfo({ token: 'xoxp-1-made-up' }))).toBe(
      'invalid_auth',
    );
    // the bot token is no user token
    expect(await slackError(client.openid.connect.userInfo({ token: fake.token }))).toBe('invalid_auth');
  });
});
