/**
 * Sign in with Slack for the web page, over real HTTP against the fake Slack: the whole round trip, the
 * cookies it sets, and every way it refuses (another browser's or another workspace's sign-in, a used code,
 * a `next` that leads elsewhere). Slack failing: sign-in-slack-failures.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SESSION_COOKIE, SIGN_IN_COOKIE } from '../../src/adapters/web/slack-sign-in.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  expectPlainPage,
  type Page,
  type SignInWorld,
  startSignInWorld,
  toCallback,
  WHOAMI,
} from '../support/sign-in-world.js';

let w: SignInWorld | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

async function world(opts: Parameters<typeof startSignInWorld>[0] = {}): Promise<SignInWorld> {
  w = await startSignInWorld(opts);
  return w;
}

const cookieLine = (page: Page, name: string) => page.setCookies.find((c) => c.startsWith(`${name}=`));

describe('signing in', () => {
  it('takes a person from a protected page through Slack and back to it, signed in', async () => {
    const s = await world();
    const browser = s.browser();
    const pages = await browser.follow(`${s.base}${WHOAMI}?tab=open`);
    expect(pages.map((p) => p.status)).toEqual([303, 303, 302, 303, 200]);
    expect(pages[0]!.location).toBe(`${s.base}/incidents/auth/login?next=%2Fincidents%2Fwhoami%3Ftab%3Dopen`);

    const authorize = new URL(pages[1]!.location!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${s.slack.baseUrl}/openid/connect/authorize`);
    expect(pages[1]!.location).toContain('scope=openid%20profile%20email');
    expect(Object.fromEntries(authorize.searchParams)).toEqual({
      response_type: 'code',
      scope: 'openid profile email',
      client_id: CLIENT_ID,
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      redirect_uri: `${s.base}/incidents/auth/callback`,
      team: 'T0MUSTER',
    });
    expect(cookieLine(pages[1]!, SIGN_IN_COOKIE)).toMatch(
      /^muster_sign_in=[\w-]+\.[\w-]+; Path=\/incidents\/auth; Max-Age=600; HttpOnly; SameSite=Lax$/,
    );

    expect(pages[2]!.location).toMatch(new RegExp(`^${s.base}/incidents/auth/callback\\?code=[^&]+&state=`));
    expect(pages[3]!.location).toBe(`${s.base}${WHOAMI}?tab=open`);
    expect(cookieLine(pages[3]!, SESSION_COOKIE)).toMatch(
      /^muster_session=[\w-]+\.[\w-]+; Path=\/incidents; Max-Age=43200; HttpOnly; SameSite=Lax$/,
    );
    expect(cookieLine(pages[3]!, SIGN_IN_COOKIE)).toMatch(
      /^muster_sign_in=; Path=\/incidents\/auth; Max-Age=0;/,
    );
    expect(JSON.parse(pages[4]!.text)).toEqual({
      viewer: { userId: 'U0ALICE', teamId: 'T0MUSTER', name: 'Alice Example' },
      csrf: expect.stringMatching(/^[\w-]{43}$/),
    });

    const token = s.slack.lastCall('openid.connect.token')!.args;
    expect(token).toMatchObject({
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uri: `${s.base}/incidents/auth/callback`,
      grant_type: 'authorization_code',
    });
    expect(s.slack.callsTo('openid.connect.userInfo')).toHaveLength(1);
    expect(s.logs.records().find((l) => l.msg === 'sign-in: signed in')).toMatchObject({ userId: 'U0ALICE' });
  });

  it('signs in whoever Slack says consented, each in their own browser', async () => {
    const s = await world();
    const alice = s.browser();
    await alice.signIn();
    s.slack.workspace.openId.signInAs('U0BOB');
    const bob = s.browser();
    await bob.signIn();
    expect((await alice.whoami())?.viewer.userId).toBe('U0ALICE');
    expect((await bob.whoami())?.viewer).toEqual({
      userId: 'U0BOB',
      teamId: 'T0MUSTER',
      name: 'Bob Martinez',
    });
    expect((await alice.whoami())?.csrf).not.toBe((await bob.whoami())?.csrf);
  });

  it('marks its cookies Secure under an https WEB_BASE_URL, scoped to its base path', async () => {
    const s = await world({ webBaseUrl: 'https://muster.example.com/ops' });
    const browser = s.browser();
    const pages = await browser.follow(`${s.base}${WHOAMI}`);
    expect(pages.map((p) => p.status)).toEqual([303, 303, 302, 303, 200]);
    expect(pages[0]!.location).toBe(
      'https://muster.example.com/ops/incidents/auth/login?next=%2Fincidents%2Fwhoami',
    );
    expect(new URL(pages[1]!.location!).searchParams.get('redirect_uri')).toBe(
      'https://muster.example.com/ops/incidents/auth/callback',
    );
    expect(cookieLine(pages[1]!, SIGN_IN_COOKIE)).toMatch(
      /; Path=\/ops\/incidents\/auth; Max-Age=600; HttpOnly; SameSite=Lax; Secure$/,
    );
    expect(cookieLine(pages[3]!, SESSION_COOKIE)).toMatch(
      /; Path=\/ops\/incidents; Max-Age=43200; HttpOnly; SameSite=Lax; Secure$/,
    );
    expect(pages[3]!.location).toBe(`https://muster.example.com/ops${WHOAMI}`);
  });

  it('answers a form sent without a session with 401 and where to sign in', async () => {
    const s = await world();
    const page = await s.browser().request(`${s.base}${WHOAMI}`, { method: 'POST', body: 'x=1' });
    expect(page.status).toBe(401);
    expect(page.text).toBe(`Sign in first: ${s.base}/incidents/auth/login?next=%2Fincidents%2Fwhoami`);
  });

  it('asks Slack for the installed workspace once, and again after a failure, sending people on without the team meanwhile', async () => {
    const s = await world();
    s.slack.failNext('auth.test', { error: 'invalid_auth' });
    const { login } = await toCallback(s);
    expect(login.status).toBe(303);
    expect(new URL(login.location!).searchParams.has('team')).toBe(false);
    expect(
      s.logs.records().find((l) => l.msg === 'sign-in: the installed workspace is not known yet'),
    ).toMatchObject({
      level: 'warn',
      reason: 'slack_webapi_platform_error',
    });
    await s.browser().signIn();
    await s.browser().signIn();
    expect(s.slack.callsTo('auth.test')).toHaveLength(2);
  });

  it('keeps a short name of a long, hostile one', async () => {
    const s = await world();
    const name = `${'&<b>'.repeat(10)}${'👩🏽‍🚒'.repeat(8000)}`;
    s.slack.workspace.openId.signInFromOtherWorkspace({
      userId: 'U0LONG',
      teamId: 'T0MUSTER',
      teamName: 'Muster Sandbox',
      name,
      email: 'long@example.com',
      givenName: 'Long',
      familyName: '',
    });
    const browser = s.browser();
    expect((await browser.signIn()).status).toBe(200);
    const kept = (await browser.whoami())!.viewer.name;
    expect(kept.length).toBeLessThanOrEqual(200);
    expect(kept.endsWith('👩🏽‍🚒…')).toBe(true);
    expect(kept.startsWith('&<b>&<b>')).toBe(true);
  });
});

describe('open redirects', () => {
  it.each([
    '//evil.example',
    'https://evil.example',
    '/incidents/../x',
    '\\evil',
    '/\\evil.example',
    '/incidents//evil.example',
    'javascript:alert(1)',
    '/incidents/auth/logout',
  ])('returns to /incidents, never to %s', async (next) => {
    const s = await world();
    const { browser, callbackUrl } = await toCallback(s, undefined, next);
    const back = await browser.get(callbackUrl);
    expect(back.status).toBe(303);
    expect(back.location).toBe(`${s.base}/incidents`);
  });
});

describe('refused sign-ins', () => {
  it('refuses an answer whose state is not the sign-in in progress, or has none', async () => {
    const s = await world();
    const { browser, callbackUrl } = await toCallback(s);
    const forged = new URL(callbackUrl);
    forged.searchParams.set('state', 'someone-elses-state');
    const page = await browser.get(forged.toString());
    expect(page.status).toBe(400);
    expectPlainPage(page);
    expect(page.text).toContain('<h1>Sign-in not recognised</h1>');
    expect(page.text).toContain(
      `<a href="${s.base}/incidents/auth/login?next=%2Fincidents%2Fwhoami">Sign in again</a>`,
    );
    expect(page.setCookies).toEqual([expect.stringMatching(/^muster_sign_in=; .*Max-Age=0/)]);
    expect(await browser.whoami()).toBeNull();

    const again = await toCallback(s);
    const stateless = new URL(again.callbackUrl);
    stateless.searchParams.delete('state');
    expect((await again.browser.get(stateless.toString())).status).toBe(400);
    expect(s.slack.callsTo('openid.connect.token')).toHaveLength(0);
  });

  it("refuses a callback this browser did not start (someone else's link): login CSRF", async () => {
    const s = await world();
    const { callbackUrl } = await toCallback(s);
    const victim = s.browser();
    const page = await victim.get(callbackUrl);
    expect(page.status).toBe(400);
    expect(page.text).toContain('<h1>No sign-in in progress</h1>');
    expect(victim.cookie(SESSION_COOKIE)).toBeUndefined();
    expect(s.slack.callsTo('openid.connect.token')).toHaveLength(0);
  });

  it('refuses a sign-in that took more than 10 minutes', async () => {
    const s = await world();
    const { browser, callbackUrl } = await toCallback(s);
    s.clock.advanceMinutes(10);
    const page = await browser.get(callbackUrl);
    expect(page.status).toBe(400);
    expect(page.text).toContain('<h1>No sign-in in progress</h1>');
  });

  it('refuses a code used once already', async () => {
    const s = await world();
    const { browser, callbackUrl } = await toCallback(s);
    const flow = browser.cookie(SIGN_IN_COOKIE)!;
    expect((await browser.get(callbackUrl)).status).toBe(303);
    // the same return from Slack again, the sign-in cookie put back as a replaying attacker would
    const replayed = await s.browser().get(callbackUrl, { cookie: `${SIGN_IN_COOKIE}=${flow}` });
    expect(replayed.status).toBe(400);
    expect(replayed.text).toContain('<h1>This sign-in has expired</h1>');
    expect(replayed.setCookies.some((c) => c.startsWith(`${SESSION_COOKIE}=`))).toBe(false);
    expect(s.slack.lastCall('openid.connect.token')).toBeDefined();
  });

  it('refuses a code issued for another sign-in (its id_token carries another nonce)', async () => {
    const s = await world();
    const browser = s.browser();
    const login = await browser.get(`${s.base}/incidents/auth/login?next=%2Fincidents`);
    const injected = new URL(login.location!);
    injected.searchParams.set('nonce', 'the-nonce-of-someone-elses-sign-in');
    const back = await browser.get(injected.toString());
    const page = await browser.get(back.location!);
    expect(page.status).toBe(400);
    expect(page.text).toContain('Slack&#39;s answer does not belong to the sign-in this browser started.');
    expect(s.slack.callsTo('openid.connect.userInfo')).toHaveLength(0);
    expect(await browser.whoami()).toBeNull();
  });

  it('says so when the person cancels on Slack', async () => {
    const s = await world();
    s.slack.workspace.openId.declineSignIn();
    const { browser, callbackUrl } = await toCallback(s);
    expect(callbackUrl).toContain('error=access_denied');
    const page = await browser.get(callbackUrl);
    expect(page.status).toBe(403);
    expectPlainPage(page);
    expect(page.text).toContain('<h1>Sign-in cancelled</h1>');
    expect(s.slack.callsTo('openid.connect.token')).toHaveLength(0);
  });

  /** The next sign-in is U0STRANGER's, of workspace T0OTHER named `teamName`. */
  const strangerFrom = (s: SignInWorld, teamName: string) =>
    s.slack.workspace.openId.signInFromOtherWorkspace({
      userId: 'U0STRANGER',
      teamId: 'T0OTHER',
      teamName,
      name: 'Stranger',
      email: 'stranger@other.example',
      givenName: 'Stranger',
      familyName: '',
    });

  it('refuses a person of another workspace, naming the installed one', async () => {
    const s = await world();
    strangerFrom(s, 'Other & <Co>');
    const { browser, callbackUrl } = await toCallback(s);
    const page = await browser.get(callbackUrl);
    expect(page.status).toBe(403);
    expectPlainPage(page);
    expect(page.text).toContain(
      'Only people of the Muster Sandbox workspace can sign in; you signed in to Other &amp; &lt;Co&gt;.',
    );
    expect(page.setCookies.some((c) => c.startsWith(`${SESSION_COOKIE}=`))).toBe(false);
    expect(await browser.whoami()).toBeNull();
    expect(
      s.logs.records().find((l) => l.msg === 'sign-in: refused a person of another workspace'),
    ).toMatchObject({
      teamId: 'T0OTHER',
    });
  });

  it('cuts a long name of the other workspace on the refusal page', async () => {
    const s = await world();
    strangerFrom(s, `${'<&>'.repeat(15_000)}`);
    const { browser, callbackUrl } = await toCallback(s);
    const page = await browser.get(callbackUrl);
    expect(page.status).toBe(403);
    expect(page.text).toContain(`you signed in to ${'&lt;&amp;&gt;'.repeat(33)}…. Sign in again`);
    expect(page.text.length).toBeLessThan(2000);
  });

  it('answers 502 when the installed workspace cannot be asked at the callback', async () => {
    let calls = 0;
    const s = await world({
      signIn: {
        installedTeam: async () => {
          calls += 1;
          if (calls > 1) throw new Error('auth.test failed');
          return { id: 'T0MUSTER', name: 'Muster Sandbox' };
        },
      },
    });
    const { browser, callbackUrl } = await toCallback(s);
    const page = await browser.get(callbackUrl);
    expect(page.status).toBe(502);
    expect(page.text).toContain('Muster could not ask Slack which workspace it belongs to.');
  });
});
