/**
 * GitHub Issues as a follow-up tracker, over @octokit/rest 22.
 *
 * Choices and quirks:
 * - @octokit/rest 22 bundles no retry or throttling plugin, so every call is made once; the durable outbox
 *   owns retries and back-off. A rate limit surfaces as `rate_limited` with the wait GitHub asked for.
 * - Timeouts: octokit has no timeout option, so `request.fetch` wraps the global fetch with our own deadline
 *   (`AbortSignal.timeout`), and an abort becomes `timeout`.
 * - GitHub has no priority or due date: the priority is a label `P0`..`P3`, the due date a `Due:` line.
 * - The idempotency key is a hidden HTML comment in the body. `find` lists the token user's recent issues in
 *   the repository (consistent right after creation) instead of the search API (eventually consistent).
 */
import { Octokit } from '@octokit/rest';
import {
  type FollowUpTarget,
  type Tracker,
  TrackerError,
  type TrackerIssueDraft,
  type TrackerIssueRef,
  type TrackerIssueState,
  type TrackerUser,
} from '../../domain/ports/tracker.js';

export interface GitHubTrackerOptions {
  token: string;
  /** default https://api.github.com; `https://ghe.example.com/api/v3` for GitHub Enterprise */
  apiUrl?: string;
  /** per request; default 10 s */
  timeoutMs?: number;
  /** how many pages of 100 recent issues `find` reads; default 3 */
  findPages?: number;
  /** epoch ms, to turn X-RateLimit-Reset into a wait */
  now?: () => number;
}

/** GitHub caps an issue body at 65,536 characters. */
const BODY_LIMIT = 65_536;
const TITLE_LIMIT = 256;

/** The hidden line that names the action item in the issue body. */
export function followUpMarker(key: string): string {
  // `--` would end the HTML comment early; keys are plain ids, but be safe.
  return `<!-- muster:follow-up ${key.replace(/--+/g, '-')} -->`;
}

/** The body GitHub receives: the draft's markdown, a Due line, and the marker last (kept when cut). */
export function githubIssueBody(draft: TrackerIssueDraft): string {
  const tail = `${draft.due ? `\n\nDue: ${draft.due}` : ''}\n\n${followUpMarker(draft.idempotencyKey)}\n`;
  const room = BODY_LIMIT - tail.length;
  const body = draft.body.length > room ? `${draft.body.slice(0, room - 1)}…` : draft.body;
  return `${body}${tail}`;
}

interface RepoName {
  owner: string;
  repo: string;
}

function repoOf(target: FollowUpTarget): RepoName {
  if (target.tracker !== 'github') {
    throw new TrackerError('invalid_request', `GitHub cannot take follow-ups meant for ${target.tracker}`);
  }
  const [owner, repo, ...rest] = target.repo.split('/');
  if (!owner || !repo || rest.length > 0) {
    throw new TrackerError('invalid_request', `"${target.repo}" is not a GitHub repository (owner/repo)`);
  }
  return { owner, repo };
}

interface WireUser {
  login: string;
  name?: string | null;
  email?: string | null;
}
interface WireIssue {
  number: number;
  html_url: string;
  state: string;
  body?: string | null;
  assignee?: WireUser | null;
  pull_request?: unknown;
}

/** The Tracker port over GitHub Issues. */
export class GitHubTracker implements Tracker {
  readonly kind = 'github' as const;
  private readonly octokit: Octokit;
  private readonly findPages: number;
  private readonly now: () => number;
  private login: Promise<string> | null = null;

  constructor(options: GitHubTrackerOptions) {
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.findPages = options.findPages ?? 3;
    this.now = options.now ?? Date.now;
    this.octokit = new Octokit({
      auth: options.token,
      baseUrl: (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
      userAgent: 'muster-incident-bot',
      // octokit logs 4xx/5xx through console.warn/error by default; we report through TrackerError.
      log: { debug() {}, info() {}, warn() {}, error() {} },
      request: {
        fetch: (url: string, init: RequestInit) =>
          fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
      },
    });
  }

  async create(target: FollowUpTarget, draft: TrackerIssueDraft): Promise<TrackerIssueRef> {
    const { owner, repo } = repoOf(target);
    const title =
      draft.title.length > TITLE_LIMIT ? `${draft.title.slice(0, TITLE_LIMIT - 1)}…` : draft.title;
    const res = await this.call(`the issue in ${owner}/${repo}`, { owner, repo }, () =>
      this.octokit.request('POST /repos/{owner}/{repo}/issues', {
        owner,
        repo,
        title,
        body: githubIssueBody(draft),
        labels: [draft.priority.toUpperCase()],
        ...(draft.assignee ? { assignees: [draft.assignee] } : {}),
      }),
    );
    return refOf(owner, repo, res.data as WireIssue);
  }

  async find(target: FollowUpTarget, idempotencyKey: string): Promise<TrackerIssueRef | null> {
    const { owner, repo } = repoOf(target);
    const login = await this.me();
    const marker = followUpMarker(idempotencyKey);
    for (let page = 1; page <= this.findPages; page++) {
      const res = await this.call(`issues of ${owner}/${repo}`, { owner, repo }, () =>
        this.octokit.request('GET /repos/{owner}/{repo}/issues', {
          owner,
          repo,
          creator: login,
          state: 'all',
          sort: 'created',
          direction: 'desc',
          per_page: 100,
          page,
        }),
      );
      const issues = res.data as WireIssue[];
      const hit = issues.find((i) => !i.pull_request && (i.body ?? '').includes(marker));
      if (hit) return refOf(owner, repo, hit);
      if (issues.length < 100) return null;
    }
    return null;
  }

  async state(ref: TrackerIssueRef): Promise<TrackerIssueState> {
    const [path] = ref.key.split('#');
    const { owner, repo } = repoOf({ tracker: 'github', repo: path ?? '' });
    const issue_number = Number(ref.id);
    const res = await this.call(`issue ${ref.key}`, { owner, repo }, () =>
      this.octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', { owner, repo, issue_number }),
    );
    const issue = res.data as WireIssue;
    return {
      ref: refOf(owner, repo, issue),
      closed: issue.state === 'closed',
      assignee: issue.assignee ? userOf(issue.assignee) : null,
    };
  }

  async findUser(_target: FollowUpTarget, email: string): Promise<TrackerUser | null> {
    const res = await this.call('users', null, () =>
      this.octokit.request('GET /search/users', { q: `${email} in:email`, per_page: 1 }),
    );
    const first = (res.data as { items: WireUser[] }).items[0];
    if (!first) return null;
    return { id: first.login, name: first.name ?? first.login, email };
  }

  /** The login of the token's user, asked once (`GET /user`). */
  private me(): Promise<string> {
    if (!this.login) {
      this.login = this.call('the token user', null, () => this.octokit.request('GET /user')).then(
        (res) => (res.data as WireUser).login,
      );
      this.login.catch(() => {
        this.login = null;
      });
    }
    return this.login;
  }

  private async call<T>(what: string, repo: RepoName | null, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw githubError(err, what, repo, this.now());
    }
  }
}

function refOf(owner: string, repo: string, issue: WireIssue): TrackerIssueRef {
  return {
    tracker: 'github',
    id: String(issue.number),
    key: `${owner}/${repo}#${issue.number}`,
    url: issue.html_url,
  };
}

function userOf(user: WireUser): TrackerUser {
  return { id: user.login, name: user.name ?? user.login, email: user.email ?? null };
}

interface OctokitFailure {
  status?: number;
  message?: string;
  name?: string;
  cause?: unknown;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

/** Turns what octokit threw into a TrackerError a person can read; never includes the token. */
export function githubError(err: unknown, what: string, repo: RepoName | null, now: number): TrackerError {
  if (err instanceof TrackerError) return err;
  const e = (err ?? {}) as OctokitFailure;
  const status = typeof e.status === 'number' && e.status > 0 ? e.status : undefined;
  if (status === undefined || (status === 500 && !e.response)) {
    if (isTimeout(e)) return new TrackerError('timeout', `GitHub did not answer in time about ${what}`);
    return new TrackerError('network', `Muster could not reach GitHub about ${what}`);
  }
  const headers = e.response?.headers ?? {};
  const data = (e.response?.data ?? {}) as { message?: string; errors?: unknown[] };
  const reason = githubReason(data);
  const retryAfter = retryAfterSeconds(headers, now);
  const limited =
    status === 429 ||
    (status === 403 && (headers['x-ratelimit-remaining'] === '0' || headers['retry-after'] !== undefined));
  if (limited) {
    return new TrackerError(
      'rate_limited',
      `GitHub is rate-limiting Muster${retryAfter !== undefined ? `; retry in ${retryAfter} s` : ''}`,
      status,
      retryAfter,
    );
  }
  if (status === 401)
    return new TrackerError('unauthorized', 'GitHub refused the token (401): check GITHUB_TOKEN', status);
  if (status === 403)
    return new TrackerError('forbidden', `GitHub forbids access to ${what}: ${reason}`, status);
  if (status === 404) {
    const msg = repo
      ? `GitHub has no repository ${repo.owner}/${repo.repo}, or the token cannot see it (looking for ${what})`
      : `GitHub has no ${what}`;
    return new TrackerError('not_found', msg, status);
  }
  if (status === 400 || status === 422) {
    return new TrackerError('invalid_request', `GitHub refused ${what}: ${reason}`, status);
  }
  if (status >= 500)
    return new TrackerError('server_error', `GitHub failed (${status}) about ${what}`, status);
  return new TrackerError('invalid_request', `GitHub answered ${status} about ${what}: ${reason}`, status);
}

function isTimeout(e: OctokitFailure): boolean {
  const names = [e.name, (e.cause as { name?: string } | undefined)?.name];
  return (
    names.includes('TimeoutError') || names.includes('AbortError') || /abort|timeout/i.test(e.message ?? '')
  );
}

/** GitHub's message plus its validation details: `Validation Failed (title: missing_field)`. */
function githubReason(data: { message?: string; errors?: unknown[] }): string {
  const base = typeof data.message === 'string' ? data.message : 'no reason given';
  const details = (Array.isArray(data.errors) ? data.errors : []).map((x) => {
    if (typeof x === 'string') return x;
    const d = x as { message?: string; field?: string; code?: string };
    return d.message ?? [d.field, d.code].filter(Boolean).join(': ');
  });
  return details.length > 0 ? `${base} (${details.join('; ')})` : base;
}

function retryAfterSeconds(headers: Record<string, string | undefined>, now: number): number | undefined {
  const after = headers['retry-after'];
  if (after !== undefined && /^\d+$/.test(after)) return Number(after);
  const reset = headers['x-ratelimit-reset'];
  if (reset !== undefined && /^\d+$/.test(reset)) return Math.max(0, Math.ceil(Number(reset) - now / 1000));
  return undefined;
}
