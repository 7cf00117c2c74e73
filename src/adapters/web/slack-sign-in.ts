/**
 * Sign in with Slack (OpenID Connect) for the web page, and the signed-cookie session it leads to.
 *
 * login → Slack's authorize page (with state and nonce kept in a short-lived signed cookie) → callback: the state
 * must match that cookie (no sign-in started elsewhere is accepted: login CSRF), the code is traded for a user
 * token (`openid.connect.token`), whose id_token must carry our nonce, and the person is read from
 * `openid.connect.userInfo`. Only people of the installed workspace get a session. Logout is a POST that needs
 * the page's CSRF token and a same-origin Origin (or Referer).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../domain/ports/clock.js';
import type { HttpRequest, HttpServer } from '../http/server.js';
import type { Logger } from '../log.js';
import { fitPlain } from '../slack/text-fit.js';
import { sendAuthPage, sendAuthText, seeOther } from './auth-pages.js';
import { CsrfTokens, formField } from './csrf-token.js';
import type { InstalledTeam } from './installed-team.js';
import { safeNextPath, WEB_ROOT } from './next-path.js';
import {
  type CookieScope,
  CookieSigner,
  clearCookie,
  cookieValues,
  deriveKey,
  SESSION_LIFETIME_MS,
  SIGN_IN_FLOW_LIFETIME_MS,
  sameToken,
  setCookie,
} from './session-cookie.js';
import { refusals, type SignInFailure } from './sign-in-failure.js';
import { SlackIdentity } from './slack-identity.js';
import type { Viewer, WebAccess } from './viewer.js';

export const LOGIN_PATH = `${WEB_ROOT}/auth/login`;
export const CALLBACK_PATH = `${WEB_ROOT}/auth/callback`;
export const LOGOUT_PATH = `${WEB_ROOT}/auth/logout`;
export const SIGNED_OUT_PATH = `${WEB_ROOT}/auth/signed-out`;

export const SESSION_COOKIE = 'muster_session';
export const SIGN_IN_COOKIE = 'muster_sign_in';

/** Length of the name a session keeps (Slack's are at most 80): a longer one is cut rather than bloat every request. */
const MAX_NAME = 200;

export interface SlackSignInOptions {
  clientId: string;
  clientSecret: string;
  /** WEB_BASE_URL, without its last slash: redirects and the redirect_uri start with it */
  webBaseUrl: string;
  /** SLACK_API_URL: the Web API; the authorize page is at its origin (https://slack.com) */
  slackApiUrl: string;
  /** the workspace Muster is installed in (installedTeamOf: auth.test with the bot token, cached) */
  installedTeam: () => Promise<InstalledTeam>;
  clock: Clock;
  log: Logger;
  /** how long one Slack call may take, in ms; default 10 s */
  timeoutMs?: number;
}

interface Session {
  sid: string;
  userId: string;
  teamId: string;
  name: string;
}

interface Flow {
  state: string;
  nonce: string;
  next: string;
}

const random = () => randomBytes(32).toString('base64url');
const isText = (v: unknown, max = 256): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max;

export class SlackSignIn implements WebAccess {
  private readonly sessions: CookieSigner;
  private readonly flows: CookieSigner;
  private readonly csrf: CsrfTokens;
  private readonly identity: SlackIdentity;
  private readonly origin: string;
  private readonly sessionScope: CookieScope;
  private readonly flowScope: CookieScope;
  private readonly callbackUrl: string;
  private readonly authorizeUrl: string;

  constructor(private readonly opts: SlackSignInOptions) {
    const base = new URL(opts.webBaseUrl);
    this.origin = base.origin;
    // behind a base path (https://example.com/ops), the browser's path of the web page starts with it
    const prefix = base.pathname.replace(/\/+$/, '');
    const secure = base.protocol === 'https:';
    this.sessionScope = { path: `${prefix}${WEB_ROOT}`, secure };
    this.flowScope = { path: `${prefix}${WEB_ROOT}/auth`, secure };
    this.callbackUrl = this.url(CALLBACK_PATH);
    this.authorizeUrl = `${new URL(opts.slackApiUrl).origin}/openid/connect/authorize`;
    this.sessions = new CookieSigner(deriveKey(opts.clientSecret, 'session'), opts.clock);
    this.flows = new CookieSigner(deriveKey(opts.clientSecret, 'sign-in flow'), opts.clock);
    this.csrf = new CsrfTokens(deriveKey(opts.clientSecret, 'csrf'));
    this.identity = new SlackIdentity({
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      slackApiUrl: opts.slackApiUrl,
      redirectUri: this.callbackUrl,
      log: opts.log,
      timeoutMs: opts.timeoutMs ?? 10_000,
    });
  }

  viewer(req: IncomingMessage): Viewer | null {
    const s = this.session(req);
    return s ? { userId: s.userId, teamId: s.teamId, name: s.name } : null;
  }

  csrfToken(req: IncomingMessage): string | null {
    const s = this.session(req);
    return s ? this.csrf.tokenFor(s.sid) : null;
  }

  refuse(req: IncomingMessage, res: ServerResponse): void {
    const login = this.loginUrl(safeNextPath(req.url));
    if (req.method === 'GET' || req.method === 'HEAD') seeOther(res, login);
    else sendAuthText(res, 401, `Sign in first: ${login}`);
  }

  register(http: HttpServer): void {
    http.route('GET', LOGIN_PATH, (r) => this.login(r));
    http.route('GET', CALLBACK_PATH, (r) => this.callback(r));
    http.route('POST', LOGOUT_PATH, (r) => this.logout(r));
    http.route('GET', SIGNED_OUT_PATH, ({ res }) =>
      sendAuthPage(res, 200, {
        title: 'Signed out',
        message: 'You are signed out of Muster. You are still signed in to Slack itself.',
        link: { href: this.loginUrl(WEB_ROOT), text: 'Sign in again' },
      }),
    );
  }

  /** An absolute URL of a path of the web page. */
  private url(path: string): string {
    return `${this.opts.webBaseUrl}${path}`;
  }

  private loginUrl(next: string): string {
    return `${this.url(LOGIN_PATH)}?next=${encodeURIComponent(next)}`;
  }

  private session(req: IncomingMessage): Session | null {
    for (const value of cookieValues(req.headers.cookie, SESSION_COOKIE)) {
      const p = this.sessions.verify(value) as Partial<Session> | null;
      if (p && isText(p.sid) && isText(p.userId) && isText(p.teamId) && isText(p.name, MAX_NAME)) {
        return { sid: p.sid, userId: p.userId, teamId: p.teamId, name: p.name };
      }
    }
    return null;
  }

  private flow(req: IncomingMessage): Flow | null {
    for (const value of cookieValues(req.headers.cookie, SIGN_IN_COOKIE)) {
      const p = this.flows.verify(value) as Partial<Flow> | null;
      if (p && isText(p.state) && isText(p.nonce) && typeof p.next === 'string') {
        return { state: p.state, nonce: p.nonce, next: safeNextPath(p.next) };
      }
    }
    return null;
  }

  private async login({ req, res, log }: HttpRequest): Promise<void> {
    const next = safeNextPath(new URL(req.url ?? '/', 'http://muster.invalid').searchParams.get('next'));
    const flow: Flow = { state: random(), nonce: random(), next };
    let team: string | undefined;
    try {
      team = (await this.opts.installedTeam()).id;
    } catch (error) {
      // the team is a hint that skips Slack's workspace picker; the callback checks the workspace anyway
      log.warn({ reason: describe(error) }, 'sign-in: the installed workspace is not known yet');
    }
    const query = [
      ['response_type', 'code'],
      ['scope', 'openid profile email'],
      ['client_id', this.opts.clientId],
      ['state', flow.state],
      ['nonce', flow.nonce],
      ['redirect_uri', this.callbackUrl],
      ...(team ? [['team', team]] : []),
    ]
      .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
      .join('&');
    seeOther(res, `${this.authorizeUrl}?${query}`, {
      'set-cookie': setCookie(
        SIGN_IN_COOKIE,
        this.flows.sign(flow, SIGN_IN_FLOW_LIFETIME_MS),
        this.flowScope,
        SIGN_IN_FLOW_LIFETIME_MS,
      ),
    });
  }

  private async callback({ req, res, log }: HttpRequest): Promise<void> {
    const flow = this.flow(req);
    const outcome = flow
      ? await this.finish(flow, new URL(req.url ?? '/', 'http://muster.invalid').searchParams)
      : { failure: refusals.noSignInInProgress() };
    // the sign-in cookie is good for one return from Slack, whatever it brings
    const done = clearCookie(SIGN_IN_COOKIE, this.flowScope);
    if ('failure' in outcome) {
      const f = outcome.failure;
      log[f.level](f.detail, `sign-in: ${f.why}`);
      const again = { href: this.loginUrl(flow?.next ?? WEB_ROOT), text: 'Sign in again' };
      sendAuthPage(
        res,
        f.status,
        { title: f.title, message: f.message, ...(f.retry ? { link: again } : {}) },
        {
          'set-cookie': done,
        },
      );
      return;
    }
    const { session, next } = outcome;
    log.info({ userId: session.userId }, 'sign-in: signed in');
    const value = this.sessions.sign(session, SESSION_LIFETIME_MS);
    seeOther(res, this.url(next), {
      'set-cookie': [done, setCookie(SESSION_COOKIE, value, this.sessionScope, SESSION_LIFETIME_MS)],
    });
  }

  /** The session Slack's answer to sign-in `flow` earns, or why it earns none. */
  private async finish(
    flow: Flow,
    query: URLSearchParams,
  ): Promise<{ session: Session; next: string } | { failure: SignInFailure }> {
    const state = query.get('state');
    if (!state || !sameToken(state, flow.state)) return { failure: refusals.otherState() };
    const error = query.get('error');
    if (error === 'access_denied') return { failure: refusals.declined() };
    const code = query.get('code');
    if (error || !code) return { failure: refusals.noCode((error ?? 'no code').slice(0, 100)) };
    let team: InstalledTeam;
    try {
      team = await this.opts.installedTeam();
    } catch (e) {
      return { failure: refusals.installedTeamUnknown(describe(e)) };
    }
    const answer = await this.identity.identify(code, flow.nonce);
    if ('failure' in answer) return answer;
    const { person } = answer;
    if (person.teamId !== team.id) {
      return { failure: refusals.otherWorkspace(team.name, { id: person.teamId, name: person.teamName }) };
    }
    const session = {
      sid: random(),
      userId: person.userId,
      teamId: team.id,
      name: fitPlain(person.name, MAX_NAME),
    };
    return { session, next: flow.next };
  }

  private logout({ req, res, body, log }: HttpRequest): void {
    if (!this.sameOrigin(req)) {
      log.warn('sign-out: refused a form from another origin');
      sendAuthText(res, 403, `Refused: sign out from a page of ${this.origin}.`);
      return;
    }
    const session = this.session(req);
    if (session && !this.csrf.matches(session.sid, formField(body, 'csrf'))) {
      log.warn('sign-out: refused a form without the right CSRF token');
      const why =
        "Refused: the form's security token is missing or out of date. Reload the page and sign out again.";
      sendAuthText(res, 403, why);
      return;
    }
    // without a session there is nothing to protect: the answer is the same as for a signed-in person
    seeOther(res, this.url(SIGNED_OUT_PATH), {
      'set-cookie': clearCookie(SESSION_COOKIE, this.sessionScope),
    });
  }

  /** Whether the request comes from a page of WEB_BASE_URL's origin: by Origin, else by Referer; neither is no. */
  private sameOrigin(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin !== undefined) return origin === this.origin;
    const referer = req.headers.referer;
    if (!referer) return false;
    try {
      return new URL(referer).origin === this.origin;
    } catch {
      return false;
    }
  }
}

/** What is safe to log of an unexpected failure: its kind, never its text (which may hold a request). */
function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : typeof error;
}
