/**
 * The web page's session once signed in with Slack: a signed cookie that every instance sharing the client
 * secret reads, that nobody can alter or stretch, and that only a same-origin form with its CSRF token ends.
 * Also the sandbox's LocalAccess, whose one person never signs in but whose forms are checked the same way.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HttpServer } from '../../src/adapters/http/server.js';
import { Metrics } from '../../src/adapters/http/metrics.js';
import { createLogger } from '../../src/adapters/log.js';
import { LocalAccess } from '../../src/adapters/web/local-access.js';
import { CookieSigner, deriveKey, SESSION_LIFETIME_MS } from '../../src/adapters/web/session-cookie.js';
import { SESSION_COOKIE, SIGN_IN_COOKIE } from '../../src/adapters/web/slack-sign-in.js';
import { LogCapture } from '../support/log-capture.js';
import { CLIENT_SECRET, type SignInWorld, startSignInWorld, WHOAMI } from '../support/sign-in-world.js';

const worlds: SignInWorld[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
  for (const c of closers.splice(0)) await c();
});

async function signedIn(opts: Parameters<typeof startSignInWorld>[0] = {}) {
  const world = await startSignInWorld(opts);
  worlds.push(world);
  const browser = world.browser();
  expect((await browser.signIn()).status).toBe(200);
  const me = await browser.whoami();
  return { world, browser, csrf: me!.csrf, session: browser.cookie(SESSION_COOKIE)! };
}

describe('the session cookie', () => {
  it('lasts 12 hours, then sends the person to sign in again', async () => {
    const { world, browser } = await signedIn();
    world.clock.advance(SESSION_LIFETIME_MS - 60_000);
    expect((await browser.whoami())?.viewer.userId).toBe('U0ALICE');
    world.clock.advance(60_000);
    const page = await browser.get(`${world.base}${WHOAMI}`);
    expect(page.status).toBe(303);
    expect(page.location).toBe(`${world.base}/incidents/auth/login?next=%2Fincidents%2Fwhoami`);
  });

  it('is accepted by another instance with the same client secret', async () => {
    const { session } = await signedIn();
    const other = await startSignInWorld();
    worlds.push(other);
    const page = await other
      .browser()
      .get(`${other.base}${WHOAMI}`, { cookie: `${SESSION_COOKIE}=${session}` });
    expect(page.status).toBe(200);
    expect(JSON.parse(page.text).viewer.userId).toBe('U0ALICE');
  });

  it('reads a tampered cookie as signed out', async () => {
    const { world, session } = await signedIn();
    const [body, signature] = session.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    const forge = (p: unknown) => `${Buffer.from(JSON.stringify(p)).toString('base64url')}.${signature}`;
    const tampered = [
      forge({ ...payload, p: { ...payload.p, userId: 'U0MALLORY' } }),
      forge({ ...payload, exp: payload.exp + 365 * 24 * 3600_000 }),
      `${body}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`,
      // right shape and key, wrong purpose: the sign-in flow's cookie is no session
      new CookieSigner(deriveKey(CLIENT_SECRET, 'sign-in flow'), world.clock).sign(payload.p, 60_000),
      // another app's secret
      new CookieSigner(deriveKey('another-apps-secret', 'session'), world.clock).sign(payload.p, 60_000),
    ];
    for (const value of tampered) {
      const page = await world
        .browser()
        .get(`${world.base}${WHOAMI}`, { cookie: `${SESSION_COOKIE}=${value}` });
      expect(page.status).toBe(303);
    }
  });

  it.each([
    ['empty', ''],
    ['one part', 'abc'],
    ['percent signs', '%%%'],
    ['a quote', '"'],
    ['four kilobytes and more', 'a'.repeat(5000)],
    ['a right signature over a payload of the wrong shape', 'signed:wrong-shape'],
  ])('reads a malformed cookie as signed out, never a 500: %s', async (_what, value) => {
    const world = await startSignInWorld();
    worlds.push(world);
    const cookie =
      value === 'signed:wrong-shape'
        ? new CookieSigner(deriveKey(CLIENT_SECRET, 'session'), world.clock).sign({ userId: 42 }, 60_000)
        : value;
    const page = await world
      .browser()
      .get(`${world.base}${WHOAMI}`, { cookie: `${SESSION_COOKIE}=${cookie}` });
    expect(page.status).toBe(303);
    const post = await world.browser().request(`${world.base}${WHOAMI}`, {
      method: 'POST',
      headers: { cookie: `${SESSION_COOKIE}=${cookie}` },
    });
    expect(post.status).toBe(401);
  });
});

describe('signing out', () => {
  const form = (csrf: string | null) => (csrf === null ? '' : `csrf=${encodeURIComponent(csrf)}`);
  const formType = { 'content-type': 'application/x-www-form-urlencoded' };

  it('signs out with the CSRF token and a same-origin Origin, then shows a way back in', async () => {
    const { world, browser, csrf } = await signedIn();
    const origin = new URL(world.base).origin;
    const page = await browser.request(`${world.base}/incidents/auth/logout`, {
      method: 'POST',
      headers: { ...formType, origin },
      body: form(csrf),
    });
    expect(page.status).toBe(303);
    expect(page.location).toBe(`${world.base}/incidents/auth/signed-out`);
    expect(page.setCookies).toEqual([
      'muster_session=; Path=/incidents; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
    ]);
    expect(await browser.whoami()).toBeNull();
    const signedOut = await browser.get(page.location!);
    expect(signedOut.status).toBe(200);
    expect(signedOut.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(signedOut.headers.get('cache-control')).toBe('no-store');
    expect(signedOut.text).toContain('<html lang="en">');
    expect(signedOut.text).toContain('<title>Signed out · Muster</title>');
    expect(signedOut.text).toContain(
      `<a href="${world.base}/incidents/auth/login?next=%2Fincidents">Sign in again</a>`,
    );
  });

  it('takes a same-origin Referer when the browser sends no Origin', async () => {
    const { world, browser, csrf } = await signedIn();
    const page = await browser.request(`${world.base}/incidents/auth/logout`, {
      method: 'POST',
      headers: { ...formType, referer: `${world.base}/incidents/42` },
      body: form(csrf),
    });
    expect(page.status).toBe(303);
  });

  it.each([
    ['no CSRF token', null, 'same'],
    ['a wrong CSRF token', 'not-the-token', 'same'],
    ['an empty CSRF token', '', 'same'],
    ['a foreign Origin', 'right', 'https://evil.example'],
    ['Origin null', 'right', 'null'],
    ['neither Origin nor Referer', 'right', 'none'],
    ['a foreign Referer', 'right', 'referer:https://evil.example/incidents'],
    ['a look-alike Origin', 'right', 'look-alike'],
  ])('refuses with 403 and stays signed in: %s', async (_what, token, from) => {
    const { world, browser, csrf } = await signedIn();
    const origin = new URL(world.base).origin;
    const headers: Record<string, string> = { ...formType };
    if (from === 'same') headers['origin'] = origin;
    else if (from === 'look-alike') headers['origin'] = `${origin}.evil.example`;
    else if (from.startsWith('referer:')) headers['referer'] = from.slice('referer:'.length);
    else if (from !== 'none') headers['origin'] = from;
    const page = await browser.request(`${world.base}/incidents/auth/logout`, {
      method: 'POST',
      headers,
      body: form(token === 'right' ? csrf : token),
    });
    expect(page.status).toBe(403);
    expect(page.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(page.setCookies).toEqual([]);
    expect((await browser.whoami())?.viewer.userId).toBe('U0ALICE');
  });

  it("refuses another session's CSRF token", async () => {
    const { world, browser } = await signedIn();
    const other = world.browser();
    await other.signIn();
    const theirs = (await other.whoami())!.csrf;
    const page = await browser.request(`${world.base}/incidents/auth/logout`, {
      method: 'POST',
      headers: { ...formType, origin: new URL(world.base).origin },
      body: form(theirs),
    });
    expect(page.status).toBe(403);
  });

  it('gives a new session, and so a new CSRF token, at every sign-in', async () => {
    const { world, browser, csrf, session } = await signedIn();
    const again = await browser.follow(`${world.base}/incidents/auth/login?next=%2Fincidents%2Fwhoami`);
    expect(again.map((p) => p.status)).toEqual([303, 302, 303, 200]);
    expect(browser.cookie(SESSION_COOKIE)).not.toBe(session);
    expect((await browser.whoami())!.csrf).not.toBe(csrf);
    expect(browser.cookie(SIGN_IN_COOKIE)).toBeUndefined();
  });
});

describe('the sandbox: LocalAccess', () => {
  const alice = { userId: 'U0ALICE', teamId: 'T0MUSTER', name: 'Alice Example' };

  async function localServer() {
    const access = new LocalAccess(alice);
    const http = new HttpServer(
      createLogger({ level: 'info', destination: new LogCapture() }),
      new Metrics({ defaults: false }),
    );
    access.register(http);
    const port = await http.listen(0, '127.0.0.1');
    closers.push(() => http.close());
    return { access, url: `http://127.0.0.1:${port}/incidents/auth/logout` };
  }

  it('shows everyone as its one person, with a CSRF token for the forms', async () => {
    const { access } = await localServer();
    const req = {} as Parameters<typeof access.viewer>[0];
    expect(access.viewer(req)).toEqual(alice);
    expect(access.csrfToken(req)).toMatch(/^[\w-]{43}$/);
    expect(access.csrfToken(req)).toBe(access.csrfToken(req));
    expect(new LocalAccess(alice).csrfToken(req)).not.toBe(access.csrfToken(req));
  });

  it('answers the logout form back to the list with the token, and 403 without it', async () => {
    const { access, url } = await localServer();
    const token = access.csrfToken({} as Parameters<typeof access.csrfToken>[0]);
    const post = (body: string) =>
      fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    const ok = await post(`csrf=${token}`);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/incidents');
    expect((await post('csrf=wrong')).status).toBe(403);
    expect((await post('')).status).toBe(403);
  });
});
