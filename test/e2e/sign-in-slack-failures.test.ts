/**
 * Sign in with Slack when Slack fails: its errors, a 500, a rate limit, a closed connection or no answer at all
 * each give a clear page, and the logs name what failed without the code, a token or the client secret.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  CLIENT_SECRET,
  expectPlainPage,
  type SignInWorld,
  startBrokenSlack,
  startSignInWorld,
  toCallback,
} from '../support/sign-in-world.js';

let w: SignInWorld | null = null;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  await w?.close();
  w = null;
});

async function world(opts: Parameters<typeof startSignInWorld>[0] = {}): Promise<SignInWorld> {
  w = await startSignInWorld(opts);
  return w;
}

describe('Slack failing', () => {
  const secretsOf = (s: SignInWorld, codes: string[]) => {
    for (const code of codes) expect(s.logs.text).not.toContain(code);
    expect(s.logs.text).not.toContain(CLIENT_SECRET);
    // the logger scrubs anything token-like into this: finding it would mean a token reached a log line
    expect(s.logs.text).not.toMatch(/xox.-/);
  };
  const codeOf = (callbackUrl: string) => new URL(callbackUrl).searchParams.get('code')!;

  it.each([
    ['invalid_code', { error: 'invalid_code' }, 400, 'This sign-in has expired', 'info'],
    ['a 500', { status: 500 }, 502, 'Slack did not answer', 'warn'],
    ['a rate limit', { error: 'ratelimited', retryAfter: 30 }, 503, 'Slack is busy', 'warn'],
    ['an unknown error', { error: 'team_is_restricted' }, 502, 'Slack refused the sign-in', 'warn'],
  ])(
    'shows a clear page for %s of openid.connect.token, logged without secrets',
    async (_what, failure, status, title, level) => {
      const s = await world();
      s.slack.failNext('openid.connect.token', failure);
      const { browser, callbackUrl } = await toCallback(s);
      const page = await browser.get(callbackUrl);
      expect(page.status).toBe(status);
      expectPlainPage(page);
      expect(page.text).toContain(`<h1>${title}</h1>`);
      expect(page.text).toContain('Sign in again</a>');
      expect(s.logs.records().find((l) => l.msg === 'sign-in: a Slack call failed')).toMatchObject({ level });
      secretsOf(s, [codeOf(callbackUrl)]);
    },
  );

  it("tells people to ask the operator when Slack refuses Muster's client secret", async () => {
    const s = await world({ signIn: { clientSecret: 'a-wrong-secret-for-this-app' } });
    const { browser, callbackUrl } = await toCallback(s);
    const page = await browser.get(callbackUrl);
    expect(page.status).toBe(502);
    expect(page.text).toContain('Slack does not recognise Muster&#39;s app settings (bad_client_secret).');
    expect(page.text).toContain('SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and the redirect URL');
    expect(page.text).not.toContain('Sign in again');
    expect(s.logs.records().find((l) => l.msg === 'sign-in: a Slack call failed')).toMatchObject({
      level: 'error',
      slackError: 'bad_client_secret',
    });
    secretsOf(s, [codeOf(callbackUrl), 'a-wrong-secret-for-this-app']);
  });

  it('shows a clear page when userInfo refuses the token', async () => {
    const s = await world();
    s.slack.failNext('openid.connect.userInfo', { error: 'invalid_auth' });
    const { browser, callbackUrl } = await toCallback(s);
    const page = await browser.get(callbackUrl);
    expect(page.status).toBe(502);
    expect(page.text).toContain('Slack answered &quot;invalid_auth&quot;.');
    secretsOf(s, [codeOf(callbackUrl)]);
  });

  it.each([
    ['closes the connection', 'drop' as const, 'TypeError'],
    ['never answers', 'hang' as const, 'TimeoutError'],
  ])('shows a clear page when Slack %s', async (_what, how, network) => {
    const broken = await startBrokenSlack(() => w!.slack.baseUrl, how);
    cleanups.push(broken.close);
    w = await startSignInWorld({ signIn: { slackApiUrl: broken.apiUrl, timeoutMs: 200 } });
    const { browser, callbackUrl } = await toCallback(w);
    const page = await browser.get(callbackUrl);
    expect(page.status).toBe(502);
    expect(page.text).toContain('Muster could not reach Slack to finish signing you in.');
    expect(w.logs.records().find((l) => l.msg === 'sign-in: a Slack call failed')).toMatchObject({
      level: 'warn',
      network,
    });
    secretsOf(w, [codeOf(callbackUrl)]);
  });
});
