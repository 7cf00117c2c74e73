/**
 * Sign in with Slack end to end: Muster's HttpServer with SlackSignIn and one protected route (`/incidents/whoami`,
 * answering the viewer and the CSRF token), the fake Slack, a FixedClock, captured logs, and a browser made of
 * fetch with `redirect: 'manual'` and a cookie jar kept by hand. WEB_BASE_URL may be a public https URL (with a
 * base path): the browser sends what it addresses there to the local server, as a reverse proxy would.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import { expect } from 'vitest';
import { HttpServer, sendJson } from '../../src/adapters/http/server.js';
import { Metrics } from '../../src/adapters/http/metrics.js';
import { createLogger } from '../../src/adapters/log.js';
import { installedTeamOf } from '../../src/adapters/web/installed-team.js';
import { SlackSignIn, type SlackSignInOptions } from '../../src/adapters/web/slack-sign-in.js';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';
import { FixedClock } from './fixed-clock.js';
import { LogCapture } from './log-capture.js';

export const CLIENT_ID = '1234567890.0987654321';
export const CLIENT_SECRET = 'the-client-secret-of-muster-3f9a';
export const WHOAMI = '/incidents/whoami';

export interface SignInWorldOptions {
  /** WEB_BASE_URL; default the local server's own http address */
  webBaseUrl?: string;
  /** what SlackSignIn is told (a wrong secret, another Slack URL, a short timeout) */
  signIn?: Partial<Omit<SlackSignInOptions, 'clock' | 'log'>>;
}

export interface SignInWorld {
  slack: FakeSlack;
  clock: FixedClock;
  logs: LogCapture;
  access: SlackSignIn;
  /** WEB_BASE_URL */
  base: string;
  /** http://127.0.0.1:PORT */
  local: string;
  browser(): Browser;
  close(): Promise<void>;
}

export interface Page {
  status: number;
  location: string | null;
  setCookies: string[];
  headers: Headers;
  text: string;
}

/** A browser of one person: its own cookies, sent to Muster as a browser would (by path). */
export class Browser {
  readonly jar = new Map<string, { value: string; path: string }>();

  constructor(private readonly world: { base: string; local: string }) {}

  /** Where a URL really goes: WEB_BASE_URL's go to the local server (what the reverse proxy does). */
  private route(url: string): { target: string; path: string | null } {
    if (url.startsWith(`${this.world.base}/`)) {
      const rest = url.slice(this.world.base.length);
      return { target: `${this.world.local}${rest}`, path: new URL(url).pathname };
    }
    return { target: url, path: null };
  }

  cookie(name: string): string | undefined {
    return this.jar.get(name)?.value;
  }

  async request(url: string, init: RequestInit = {}): Promise<Page> {
    const { target, path } = this.route(url);
    const headers = new Headers(init.headers);
    if (path !== null) {
      const sent = [...this.jar]
        .filter(([, c]) => path === c.path || path.startsWith(`${c.path}/`))
        .map(([name, c]) => `${name}=${c.value}`);
      if (sent.length > 0 && !headers.has('cookie')) headers.set('cookie', sent.join('; '));
    }
    const res = await fetch(target, { ...init, headers, redirect: 'manual' });
    const setCookies = res.headers.getSetCookie();
    if (path !== null) {
      for (const line of setCookies) {
        const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq);
        const cookiePath = attrs.find((a) => a.startsWith('Path='))?.slice(5) ?? '/';
        if (attrs.includes('Max-Age=0')) this.jar.delete(name);
        else this.jar.set(name, { value: pair.slice(eq + 1), path: cookiePath });
      }
    }
    return {
      status: res.status,
      location: res.headers.get('location'),
      setCookies,
      headers: res.headers,
      text: await res.text(),
    };
  }

  get(url: string, headers: Record<string, string> = {}): Promise<Page> {
    return this.request(url, { headers });
  }

  /** Follows redirects from `url` (at most 10) and returns every answer, the last one last. */
  async follow(url: string): Promise<Page[]> {
    const pages: Page[] = [];
    let next: string | null = url;
    while (next !== null && pages.length < 10) {
      const page = await this.get(next);
      pages.push(page);
      next = page.status >= 300 && page.status < 400 ? page.location : null;
    }
    return pages;
  }

  /** Opens the protected page and goes through the whole sign-in; the last answer. */
  async signIn(path = WHOAMI): Promise<Page> {
    return (await this.follow(`${this.world.base}${path}`)).at(-1)!;
  }

  /** Who the protected page says this browser is, with its CSRF token; null when it is sent to sign in. */
  async whoami(): Promise<{ viewer: { userId: string; teamId: string; name: string }; csrf: string } | null> {
    const page = await this.get(`${this.world.base}${WHOAMI}`);
    if (page.status === 303) return null;
    if (page.status !== 200) throw new Error(`whoami answered ${page.status}: ${page.text}`);
    return JSON.parse(page.text);
  }
}

/** Starts the fake Slack and Muster's HTTP server with SlackSignIn. */
export async function startSignInWorld(opts: SignInWorldOptions = {}): Promise<SignInWorld> {
  const clock = new FixedClock();
  const slack = await startFakeSlack({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    clock: () => clock.now(),
  });
  const logs = new LogCapture();
  // no secrets handed to the logger's scrubber: the tests prove the sign-in never logs them at all
  const log = createLogger({ level: 'debug', destination: logs });
  const http = new HttpServer(log, new Metrics({ defaults: false }));
  const port = await http.listen(0, '127.0.0.1');
  const local = `http://127.0.0.1:${port}`;
  const base = opts.webBaseUrl ?? local;
  // as compose wires it: auth.test with the bot token, asked once
  const bot = new WebClient(slack.token, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  const installedTeam = installedTeamOf(bot);
  const access = new SlackSignIn({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    webBaseUrl: base,
    slackApiUrl: slack.apiUrl,
    installedTeam,
    clock,
    log,
    ...opts.signIn,
  });
  access.register(http);
  const whoami = ({ req, res }: { req: IncomingMessage; res: ServerResponse }) => {
    const viewer = access.viewer(req);
    if (!viewer) return access.refuse(req, res);
    sendJson(res, 200, { viewer, csrf: access.csrfToken(req) });
  };
  http.route('GET', WHOAMI, whoami);
  http.route('POST', WHOAMI, whoami);
  return {
    slack,
    clock,
    logs,
    access,
    base,
    local,
    browser: () => new Browser({ base, local }),
    close: async () => {
      await http.close();
      await slack.close();
    },
  };
}

/**
 * A Slack that sends the browser on to the fake Slack's authorize page but fails its Web API: `hang` never answers,
 * `drop` closes the connection. Its URL is SLACK_API_URL for the tests of a Slack that does not answer.
 */
export async function startBrokenSlack(
  slackBaseUrl: () => string,
  how: 'hang' | 'drop',
): Promise<{ apiUrl: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.startsWith('/openid/connect/authorize')) {
      res.writeHead(302, { location: `${slackBaseUrl()}${req.url}` });
      res.end();
      return;
    }
    if (how === 'drop') req.socket.destroy();
    // 'hang': the request is read and never answered
    else req.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The answers of a sign-in up to Slack sending the browser back: [login redirect, login, authorize]. */
export async function toCallback(world: SignInWorld, browser = world.browser(), next = WHOAMI) {
  const login = await browser.get(`${world.base}/incidents/auth/login?next=${encodeURIComponent(next)}`);
  let authorize = await browser.get(login.location!);
  // a Slack in front of the fake (startBrokenSlack) sends the browser on to the fake's page first
  while (authorize.status === 302 && !authorize.location!.startsWith(world.base)) {
    authorize = await browser.get(authorize.location!);
  }
  return { browser, login, authorize, callbackUrl: authorize.location! };
}

/** The page is a small sign-in page: HTML5 with lang and title, no script or inline style, the sign-in headers. */
export function expectPlainPage(page: Page): void {
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(page.headers.get('content-security-policy')).toBe(
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  expect(page.headers.get('referrer-policy')).toBe('same-origin');
  expect(page.headers.get('cache-control')).toBe('no-store');
  expect(page.text).toMatch(/^<!doctype html>\n<html lang="en">/);
  expect(page.text).toMatch(/<title>[^<]+ · Muster<\/title>/);
  expect(page.text).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
}
