/**
 * A fake GitHub REST API for issues: the endpoints Muster's GitHub tracker uses (`GET /user`,
 * `POST/GET /repos/{owner}/{repo}/issues`, `GET /repos/{owner}/{repo}/issues/{n}`, `GET /search/users`),
 * answering with the shapes GitHub documents. It records every request (the last 500), fails on demand, and
 * acts as a person in the tracker (close, reopen, assign), optionally delivering a signed `issues` webhook.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, MAX_BODY_BYTES, readBody, refuseTooLarge } from '../../../../src/index.js';

export interface FakeGitHubUser {
  login: string;
  name: string | null;
  email: string | null;
}

export interface FakeGitHubIssue {
  number: number;
  repo: string;
  title: string;
  body: string | null;
  labels: string[];
  assignees: string[];
  state: 'open' | 'closed';
  creator: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface RecordedGitHubRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  body: unknown;
  /** the status answered; null while held by `hang()` */
  status: number | null;
}

export interface FakeGitHubOptions {
  /** the token the fake accepts (Bearer or token) */
  token?: string;
  /** the token's user */
  viewer?: FakeGitHubUser;
  users?: FakeGitHubUser[];
  /** repositories that exist, `owner/repo` */
  repos?: string[];
  webhookUrl?: string;
  webhookSecret?: string;
  /** the path the API is served under on a shared server (the sandbox's `/sandbox/github`); default none */
  basePath?: string;
  /** where issues' web pages are (`html_url`); default https://github.com */
  webUrl?: string;
  /** the time its issues are created, closed and changed at; default the system clock */
  now?: () => number;
}

/** A webhook delivery the fake sent, and what the receiver answered (null: it could not be reached). */
export interface RecordedGitHubDelivery {
  event: string;
  action: string | null;
  deliveryId: string;
  status: number | null;
}

interface Failure {
  route: string;
  status: number;
  times: number;
  retryAfter?: number;
  body?: unknown;
}

const RECORD_LIMIT = 500;

/** The fake GitHub; `handle` answers a request when it is one of GitHub's, false otherwise. */
export class FakeGitHub {
  readonly token: string;
  readonly viewer: FakeGitHubUser;
  readonly users: FakeGitHubUser[];
  readonly repos: Set<string>;
  readonly issues: FakeGitHubIssue[] = [];
  readonly requests: RecordedGitHubRequest[] = [];
  /** the webhooks sent (the last 500) */
  readonly deliveries: RecordedGitHubDelivery[] = [];
  webhookUrl: string | undefined;
  webhookSecret: string | undefined;
  baseUrl = 'http://127.0.0.1';
  readonly basePath: string;
  readonly webUrl: string;
  private readonly now: () => number;
  private failures: Failure[] = [];
  private downStatus: number | null = null;
  private hanging = false;
  private lost: { route: string; times: number; how: 'cut' | 'hold' }[] = [];
  private readonly held = new Set<ServerResponse>();

  constructor(options: FakeGitHubOptions = {}) {
    this.token = options.token ?? 'ghp_fake_token_for_muster';
    this.viewer = options.viewer ?? { login: 'muster-bot', name: 'Muster', email: null };
    this.users = options.users ?? [{ login: 'octocat', name: 'The Octocat', email: 'octocat@example.com' }];
    this.repos = new Set(options.repos ?? ['acme/checkout']);
    this.webhookUrl = options.webhookUrl;
    this.webhookSecret = options.webhookSecret;
    this.basePath = (options.basePath ?? '').replace(/\/+$/, '');
    this.webUrl = (options.webUrl ?? 'https://github.com').replace(/\/+$/, '');
    this.now = options.now ?? Date.now;
  }

  /** The next `times` requests to `route` (e.g. `POST /repos/{owner}/{repo}/issues`, or `any`) fail with `status`. */
  failNext(
    route: string,
    status: number,
    times = 1,
    extra: { retryAfter?: number; body?: unknown } = {},
  ): void {
    this.failures.push({ route, status, times, ...extra });
  }
  down(status = 503): void {
    this.downStatus = status;
  }
  up(): void {
    this.downStatus = null;
    this.hanging = false;
    for (const res of this.held) res.destroy();
    this.held.clear();
  }
  /**
   * The next `times` requests to `route` are carried out (an issue is created) but their answer is lost: `cut`
   * closes the connection, `hold` keeps it open unanswered until `up()` (a caller that dies meanwhile never
   * learns the issue exists).
   */
  loseAnswer(route: string, how: 'cut' | 'hold' = 'cut', times = 1): void {
    this.lost.push({ route, how, times });
  }

  /** Holds every request unanswered until `up()`. */
  hang(): void {
    this.hanging = true;
  }

  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (this.basePath && !url.pathname.startsWith(`${this.basePath}/`)) return false;
    const path = url.pathname.slice(this.basePath.length).replace(/^\/api\/v3/, '');
    const route = routeOf(req.method ?? 'GET', path);
    if (!route) return false;
    // GitHub refuses large bodies too; a fake on a shared server (the sandbox) must not hold them either
    readBody(req).then(
      (buffer) => this.serve(req, res, url, path, route, buffer.toString('utf8')),
      (e: unknown) => {
        if (e instanceof BodyTooLargeError) {
          refuseTooLarge(req, res, { message: `Request body over ${MAX_BODY_BYTES} bytes` });
          return;
        }
        // a request torn down mid-body has no one left to answer
        res.destroy();
      },
    );
    return true;
  }

  private serve(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    path: string,
    route: string,
    raw: string,
  ): void {
    let body: unknown = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = raw;
    }
    const record: RecordedGitHubRequest = {
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers } as Record<string, string | undefined>,
      body,
      status: null,
    };
    this.requests.push(record);
    if (this.requests.length > RECORD_LIMIT) this.requests.shift();
    if (this.hanging) {
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      return;
    }
    const [status, payload, headers] = this.answer(route, path, url, body, req);
    const lose = this.lost.find((l) => l.route === route);
    if (lose) {
      lose.times--;
      if (lose.times <= 0) this.lost = this.lost.filter((l) => l !== lose);
      if (lose.how === 'cut') {
        res.destroy();
      } else {
        this.held.add(res);
        res.on('close', () => this.held.delete(res));
      }
      return;
    }
    record.status = status;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(payload));
  }

  private answer(
    route: string,
    path: string,
    url: URL,
    body: unknown,
    req: IncomingMessage,
  ): [number, unknown, Record<string, string>] {
    if (this.downStatus !== null) return [this.downStatus, { message: 'Service Unavailable' }, {}];
    const failure = this.failures.find((f) => f.route === route || f.route === 'any');
    if (failure) {
      failure.times--;
      if (failure.times <= 0) this.failures = this.failures.filter((f) => f !== failure);
      const headers: Record<string, string> = {};
      if (failure.retryAfter !== undefined) {
        headers['retry-after'] = String(failure.retryAfter);
        headers['x-ratelimit-remaining'] = '0';
      }
      return [failure.status, failure.body ?? { message: `Failure ${failure.status}` }, headers];
    }
    const auth = req.headers.authorization ?? '';
    if (auth !== `token ${this.token}` && auth !== `Bearer ${this.token}`) {
      return [401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' }, {}];
    }
    if (route === 'GET /user') return [200, this.userJson(this.viewer), {}];
    if (route === 'GET /search/users') {
      const q = (url.searchParams.get('q') ?? '')
        .replace(/\s+in:email$/, '')
        .trim()
        .toLowerCase();
      const hits = this.users.filter((u) => u.email?.toLowerCase() === q);
      return [
        200,
        { total_count: hits.length, incomplete_results: false, items: hits.map((u) => this.userJson(u)) },
        {},
      ];
    }
    const [, , owner, repo, , num] = path.split('/');
    const full = `${owner}/${repo}`;
    if (!this.repos.has(full))
      return [404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }, {}];
    if (route === 'POST /repos/{owner}/{repo}/issues') return this.createIssue(full, body);
    if (route === 'GET /repos/{owner}/{repo}/issues') {
      const creator = url.searchParams.get('creator');
      const state = url.searchParams.get('state') ?? 'open';
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const list = this.issues
        .filter(
          (i) =>
            i.repo === full && (!creator || i.creator === creator) && (state === 'all' || i.state === state),
        )
        .sort((a, b) => b.number - a.number)
        .slice((page - 1) * perPage, page * perPage);
      return [200, list.map((i) => this.issueJson(i)), {}];
    }
    const issue = this.issues.find((i) => i.repo === full && i.number === Number(num));
    if (!issue) return [404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }, {}];
    return [200, this.issueJson(issue), {}];
  }

  private createIssue(repo: string, body: unknown): [number, unknown, Record<string, string>] {
    const b = (body ?? {}) as { title?: unknown; body?: unknown; labels?: unknown; assignees?: unknown };
    if (typeof b.title !== 'string' || b.title === '') {
      return [
        422,
        {
          message: 'Validation Failed',
          errors: [{ resource: 'Issue', field: 'title', code: 'missing_field' }],
        },
        {},
      ];
    }
    if (b.title.length > 256) {
      return [
        422,
        {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'Issue',
              field: 'title',
              code: 'custom',
              message: 'title is too long (maximum is 256 characters)',
            },
          ],
        },
        {},
      ];
    }
    if (typeof b.body === 'string' && b.body.length > 65_536) {
      return [
        422,
        {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'Issue',
              field: 'body',
              code: 'custom',
              message: 'body is too long (maximum is 65536 characters)',
            },
          ],
        },
        {},
      ];
    }
    const assignees = Array.isArray(b.assignees) ? b.assignees.map(String) : [];
    const unknown = assignees.find((a) => !this.users.some((u) => u.login === a) && a !== this.viewer.login);
    if (unknown) {
      return [
        422,
        {
          message: 'Validation Failed',
          errors: [{ value: unknown, resource: 'Issue', field: 'assignees', code: 'invalid' }],
        },
        {},
      ];
    }
    const now = new Date(this.now()).toISOString();
    const issue: FakeGitHubIssue = {
      // the next number after the repository's highest, as GitHub numbers them (restored ones included)
      number: Math.max(0, ...this.issues.filter((i) => i.repo === repo).map((i) => i.number)) + 1,
      repo,
      title: b.title,
      body: typeof b.body === 'string' ? b.body : null,
      labels: Array.isArray(b.labels) ? b.labels.map(String) : [],
      assignees,
      state: 'open',
      creator: this.viewer.login,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
    };
    this.issues.push(issue);
    return [201, this.issueJson(issue), {}];
  }

  /** Closes the issue as `by` would in GitHub, delivering an `issues` `closed` webhook when one is configured. */
  close(issue: FakeGitHubIssue, by: FakeGitHubUser = this.users[0] ?? this.viewer): Promise<number | null> {
    issue.state = 'closed';
    issue.closedAt = issue.updatedAt = new Date(this.now()).toISOString();
    return this.deliver('closed', issue, by);
  }
  reopen(issue: FakeGitHubIssue, by: FakeGitHubUser = this.users[0] ?? this.viewer): Promise<number | null> {
    issue.state = 'open';
    issue.closedAt = null;
    issue.updatedAt = new Date(this.now()).toISOString();
    return this.deliver('reopened', issue, by);
  }
  assign(issue: FakeGitHubIssue, user: FakeGitHubUser, by: FakeGitHubUser = user): Promise<number | null> {
    issue.assignees = [user.login, ...issue.assignees.filter((a) => a !== user.login)];
    issue.updatedAt = new Date(this.now()).toISOString();
    return this.deliver('assigned', issue, by, user);
  }

  /** The body and headers of an `issues` delivery, signed with `webhookSecret`. */
  webhookFor(action: string, issue: FakeGitHubIssue, by: FakeGitHubUser, assignee?: FakeGitHubUser) {
    const raw = JSON.stringify({
      action,
      issue: this.issueJson(issue),
      ...(assignee ? { assignee: this.userJson(assignee) } : {}),
      repository: { id: 1, name: issue.repo.split('/')[1], full_name: issue.repo },
      sender: this.userJson(by),
    });
    return { raw, headers: this.signedHeaders('issues', raw) };
  }

  signedHeaders(event: string, raw: string, deliveryId: string = randomUUID()): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': deliveryId,
      'user-agent': 'GitHub-Hookshot/fake',
    };
    if (this.webhookSecret) {
      headers['x-hub-signature-256'] =
        `sha256=${createHmac('sha256', this.webhookSecret).update(raw).digest('hex')}`;
    }
    return headers;
  }

  /** Posts a raw delivery (bad signatures, replays) to `webhookUrl`; the status answered. */
  async sendWebhook(raw: string, headers: Record<string, string>): Promise<number> {
    if (!this.webhookUrl) throw new Error('FakeGitHub has no webhookUrl');
    const delivery: RecordedGitHubDelivery = {
      event: headers['x-github-event'] ?? '',
      action: actionOf(raw),
      deliveryId: headers['x-github-delivery'] ?? '',
      status: null,
    };
    this.deliveries.push(delivery);
    if (this.deliveries.length > RECORD_LIMIT) this.deliveries.shift();
    const res = await fetch(this.webhookUrl, { method: 'POST', headers, body: raw });
    await res.arrayBuffer();
    delivery.status = res.status;
    return res.status;
  }

  private async deliver(
    action: string,
    issue: FakeGitHubIssue,
    by: FakeGitHubUser,
    assignee?: FakeGitHubUser,
  ) {
    if (!this.webhookUrl) return null;
    const { raw, headers } = this.webhookFor(action, issue, by, assignee);
    return this.sendWebhook(raw, headers);
  }

  private userJson(u: FakeGitHubUser) {
    return {
      login: u.login,
      id: hash(u.login),
      type: 'User',
      html_url: `https://github.com/${u.login}`,
      name: u.name,
      email: u.email,
    };
  }

  private issueJson(i: FakeGitHubIssue) {
    const assignees = i.assignees.map((login) =>
      this.userJson(this.users.find((u) => u.login === login) ?? { login, name: null, email: null }),
    );
    return {
      id: hash(`${i.repo}#${i.number}`),
      number: i.number,
      url: `${this.baseUrl}/repos/${i.repo}/issues/${i.number}`,
      html_url: `${this.webUrl}/${i.repo}/issues/${i.number}`,
      title: i.title,
      body: i.body,
      state: i.state,
      labels: i.labels.map((name) => ({ name })),
      assignee: assignees[0] ?? null,
      assignees,
      user: this.userJson(this.viewer),
      created_at: i.createdAt,
      updated_at: i.updatedAt,
      closed_at: i.closedAt,
    };
  }
}

function actionOf(raw: string): string | null {
  try {
    const action = (JSON.parse(raw) as { action?: unknown }).action;
    return typeof action === 'string' ? action : null;
  } catch {
    return null;
  }
}

function hash(s: string): number {
  let h = 7;
  for (const c of s) h = (h * 31 + (c.codePointAt(0) ?? 0)) % 2_147_483_647;
  return h;
}

function routeOf(method: string, path: string): string | null {
  if (method === 'GET' && path === '/user') return 'GET /user';
  if (method === 'GET' && path === '/search/users') return 'GET /search/users';
  if (/^\/repos\/[^/]+\/[^/]+\/issues$/.test(path)) return `${method} /repos/{owner}/{repo}/issues`;
  if (method === 'GET' && /^\/repos\/[^/]+\/[^/]+\/issues\/\d+$/.test(path))
    return 'GET /repos/{owner}/{repo}/issues/{issue_number}';
  return null;
}
