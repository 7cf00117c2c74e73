/**
 * A fake Jira Cloud REST API v3 for the calls Muster's Jira tracker makes through jira.js 5.4: create an issue
 * (`POST /rest/api/3/issue`), the enhanced JQL search (`GET|POST /rest/api/3/search/jql`, the endpoint that
 * replaced `/rest/api/3/search`), read an issue (`GET /rest/api/3/issue/{idOrKey}`) and find users
 * (`GET /rest/api/3/user/search`), answering in Jira's shapes: `{errorMessages, errors}` for refusals, a 400
 * with `errors.project` for an unknown project, `errors.<field>` "cannot be set" for a field that is not on the
 * project's create screen. It checks Basic auth (email:token), records every request (the last 500), fails, goes
 * down or hangs on demand, and acts as a person: close, reopen or assign an issue, delivering a signed
 * `jira:issue_updated` webhook (X-Hub-Signature: sha256=<hex HMAC of the raw body>).
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJql } from './jira-jql.js';

export interface FakeJiraUser {
  accountId: string;
  displayName: string;
  /** what the fake matches a user search against, even when hidden */
  email: string;
  /** false: Jira's privacy setting hides the address (emailAddress is left out of answers) */
  emailVisible: boolean;
  active: boolean;
  accountType: 'atlassian' | 'app' | 'customer';
}

export interface FakeJiraProject {
  id: string;
  key: string;
  /** fields the create screen has beyond summary, description, labels; default duedate and assignee */
  createScreen: string[];
}

type StatusCategory = 'new' | 'indeterminate' | 'done';

export interface FakeJiraIssue {
  id: string;
  key: string;
  project: string;
  issueType: string;
  summary: string;
  /** the ADF document as sent */
  description: unknown;
  labels: string[];
  duedate: string | null;
  assignee: string | null;
  status: { id: string; name: string; category: StatusCategory };
  created: string;
  updated: string;
}

export interface RecordedJiraRequest {
  method: string;
  /** e.g. `POST /rest/api/3/issue`, `GET /rest/api/3/issue/{issueIdOrKey}` */
  route: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  body: unknown;
  /** the status answered; null while held by `hang()` */
  status: number | null;
}

export interface FakeJiraOptions {
  email?: string;
  apiToken?: string;
  projects?: { key: string; id?: string; createScreen?: string[] }[];
  issueTypes?: string[];
  users?: FakeJiraUser[];
  webhookUrl?: string;
  webhookSecret?: string;
}

interface Failure {
  route: string;
  status: number;
  times: number;
  retryAfter?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Answer = [number, unknown, Record<string, string>?];

const RECORD_LIMIT = 500;
const SUMMARY_LIMIT = 255;
/** Jira's limit on a rich-text field, counted on its text */
const TEXT_LIMIT = 32_767;
const STATUSES: Record<StatusCategory, { id: string; name: string; category: StatusCategory }> = {
  new: { id: '10000', name: 'To Do', category: 'new' },
  indeterminate: { id: '3', name: 'In Progress', category: 'indeterminate' },
  done: { id: '10001', name: 'Done', category: 'done' },
};
const CATEGORY_IDS: Record<StatusCategory, number> = { new: 2, indeterminate: 4, done: 3 };

/** Jira's refusal body. */
function refusal(errorMessages: string[], errors: Record<string, string> = {}) {
  return { errorMessages, errors };
}

/** The fake Jira; `handle` answers a request when it is one of Jira's, false otherwise. */
export class FakeJira {
  readonly email: string;
  readonly apiToken: string;
  readonly projects: FakeJiraProject[];
  readonly issueTypes: string[];
  readonly users: FakeJiraUser[];
  readonly issues: FakeJiraIssue[] = [];
  readonly requests: RecordedJiraRequest[] = [];
  /** every webhook delivery close/reopen/assign made (the last 500), sent to `webhookUrl` or not */
  readonly deliveries: { raw: string; headers: Record<string, string> }[] = [];
  webhookUrl: string | undefined;
  webhookSecret: string | undefined;
  baseUrl = 'http://127.0.0.1';
  private failures: Failure[] = [];
  private downStatus: number | null = null;
  private hanging = false;
  private readonly held = new Set<ServerResponse>();
  private readonly dropping = new Set<string>();
  private nextId = 10_001;

  constructor(options: FakeJiraOptions = {}) {
    this.email = options.email ?? 'muster-bot@example.com';
    this.apiToken = options.apiToken ?? 'ATATT3xFfGF0-fake-jira-token';
    this.projects = (options.projects ?? [{ key: 'OPS' }]).map((p, i) => ({
      id: p.id ?? String(10_000 + i),
      key: p.key,
      createScreen: p.createScreen ?? ['duedate', 'assignee'],
    }));
    this.issueTypes = options.issueTypes ?? ['Task', 'Bug'];
    this.users = options.users ?? [
      {
        accountId: '5b10a2844c20165700ede21g',
        displayName: 'Ada Lovelace',
        email: 'ada@example.com',
        emailVisible: true,
        active: true,
        accountType: 'atlassian',
      },
    ];
    this.webhookUrl = options.webhookUrl;
    this.webhookSecret = options.webhookSecret;
  }

  /** The next `times` requests to `route` (as recorded, e.g. `POST /rest/api/3/issue`, or `any`) fail with `status`. */
  failNext(
    route: string,
    status: number,
    times = 1,
    extra: { retryAfter?: number; body?: unknown; headers?: Record<string, string> } = {},
  ): void {
    this.failures.push({ route, status, times, ...extra });
  }
  /** The next request to `route` is carried out, then its connection is cut before the answer (a lost answer). */
  dropAnswer(route: string): void {
    this.dropping.add(route);
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
  /** Holds every request unanswered until `up()`. */
  hang(): void {
    this.hanging = true;
  }

  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const route = routeOf(method, url.pathname);
    if (!route) return false;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = raw;
      }
      const record: RecordedJiraRequest = {
        method,
        route,
        path: url.pathname,
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
      const [status, payload, headers = {}] = this.answer(route, url, body, req);
      record.status = status;
      if (this.dropping.delete(route)) {
        res.destroy();
        return;
      }
      const text = typeof payload === 'string';
      res.writeHead(status, {
        'content-type': text ? 'text/plain;charset=UTF-8' : 'application/json;charset=UTF-8',
        ...headers,
      });
      res.end(text ? payload : JSON.stringify(payload));
    });
    return true;
  }

  private answer(route: string, url: URL, body: unknown, req: IncomingMessage): Answer {
    if (this.downStatus !== null) return [this.downStatus, refusal(['Service Unavailable'])];
    const failure = this.failures.find((f) => f.route === route || f.route === 'any');
    if (failure) {
      failure.times--;
      if (failure.times <= 0) this.failures = this.failures.filter((f) => f !== failure);
      const headers: Record<string, string> = { ...failure.headers };
      if (failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter);
      return [failure.status, failure.body ?? refusal([`Failure ${failure.status}`]), headers];
    }
    const expected = `Basic ${Buffer.from(`${this.email}:${this.apiToken}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      return [401, 'Client must be authenticated to access this resource.'];
    }
    if (route === 'POST /rest/api/3/issue') return this.createIssue(body);
    if (route.endsWith('/rest/api/3/search/jql')) {
      const params = route.startsWith('GET')
        ? { jql: url.searchParams.get('jql'), maxResults: url.searchParams.get('maxResults') }
        : ((body ?? {}) as { jql?: unknown; maxResults?: unknown });
      return this.search(String(params.jql ?? ''), Number(params.maxResults ?? 50));
    }
    if (route === 'GET /rest/api/3/user/search') {
      const q = (url.searchParams.get('query') ?? '').trim().toLowerCase();
      if (!q) return [400, refusal(['One of the query parameters is required'])];
      const hits = this.users.filter(
        (u) => u.email.toLowerCase().startsWith(q) || u.displayName.toLowerCase().startsWith(q),
      );
      return [200, hits.map((u) => this.userJson(u))];
    }
    const idOrKey = decodeURIComponent(url.pathname.split('/').pop() ?? '');
    const issue = this.issues.find((i) => i.id === idOrKey || i.key === idOrKey.toUpperCase());
    if (!issue) return [404, refusal(['Issue does not exist or you do not have permission to see it.'])];
    return [200, this.issueJson(issue)];
  }

  private createIssue(body: unknown): Answer {
    const f = ((body ?? {}) as { fields?: Record<string, unknown> }).fields ?? {};
    const project = this.projects.find(
      (p) => p.key === (f.project as { key?: unknown })?.key || p.id === (f.project as { id?: unknown })?.id,
    );
    if (!project) return [400, refusal([], { project: 'Specify a valid project ID or key' })];
    const errors: Record<string, string> = {};
    for (const field of ['duedate', 'assignee']) {
      if (field in f && !project.createScreen.includes(field)) {
        errors[field] = `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`;
      }
    }
    const issueType = (f.issuetype as { name?: unknown })?.name;
    if (typeof issueType !== 'string' || !this.issueTypes.includes(issueType))
      errors.issuetype = 'Specify a valid issue type';
    const summary = f.summary;
    if (typeof summary !== 'string' || summary.trim() === '')
      errors.summary = 'You must specify a summary of the issue.';
    else if (summary.length > SUMMARY_LIMIT)
      errors.summary = `Summary must be less than ${SUMMARY_LIMIT} characters.`;
    else if (/[\r\n]/.test(summary))
      errors.summary = 'The summary is invalid because it contains newline characters.';
    const description = f.description;
    if (description !== undefined) {
      const doc = description as { type?: unknown; version?: unknown } | null;
      if (doc?.type !== 'doc' || doc.version !== 1)
        errors.description =
          'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
      else if (adfText(description).length > TEXT_LIMIT)
        errors.description = `The entered text is too long. It exceeds the allowed limit of ${TEXT_LIMIT} characters.`;
    }
    const labels = Array.isArray(f.labels) ? f.labels.map(String) : [];
    const spaced = labels.find((l) => /\s/.test(l));
    if (spaced !== undefined) errors.labels = `The label '${spaced}' contains spaces which is invalid.`;
    const duedate = f.duedate;
    if (!errors.duedate && duedate != null && !/^\d{4}-\d{2}-\d{2}$/.test(String(duedate)))
      errors.duedate = `Error parsing date string: ${String(duedate)}`;
    const assignee = (f.assignee as { accountId?: unknown } | undefined)?.accountId;
    if (!errors.assignee && assignee != null && !this.users.some((u) => u.accountId === assignee))
      errors.assignee = `Specify a valid value for assignee`;
    if (Object.keys(errors).length > 0) return [400, refusal([], errors)];
    const now = new Date().toISOString();
    const number = this.issues.filter((i) => i.project === project.key).length + 1;
    const issue: FakeJiraIssue = {
      id: String(this.nextId++),
      key: `${project.key}-${number}`,
      project: project.key,
      issueType,
      summary: summary as string,
      description: description ?? null,
      labels,
      duedate: typeof duedate === 'string' ? duedate : null,
      assignee: typeof assignee === 'string' ? assignee : null,
      status: STATUSES.new,
      created: now,
      updated: now,
    } as FakeJiraIssue;
    this.issues.push(issue);
    return [201, { id: issue.id, key: issue.key, self: `${this.baseUrl}/rest/api/3/issue/${issue.id}` }];
  }

  private search(jql: string, maxResults: number): Answer {
    let clauses: ReturnType<typeof parseJql>;
    try {
      clauses = parseJql(jql);
    } catch (err) {
      return [400, refusal([(err as Error).message])];
    }
    for (const c of clauses) {
      if (c.field === 'project' && !this.projects.some((p) => p.key === c.value || p.id === c.value)) {
        return [400, refusal([`The value '${c.value}' does not exist for the field 'project'.`])];
      }
      if (!['project', 'labels', 'key', 'issuekey'].includes(c.field)) {
        return [
          400,
          refusal([`Field '${c.field}' does not exist or you do not have permission to view it.`]),
        ];
      }
    }
    const hits = this.issues.filter((i) =>
      clauses.every((c) =>
        c.field === 'project'
          ? i.project === c.value || this.projects.find((p) => p.id === c.value)?.key === i.project
          : c.field === 'labels'
            ? i.labels.includes(c.value)
            : i.key === c.value.toUpperCase(),
      ),
    );
    const page = hits.slice(0, Math.max(1, Math.min(maxResults || 50, 5000)));
    return [200, { issues: page.map((i) => this.issueJson(i)), isLast: page.length === hits.length }];
  }

  /** Moves the issue to Done as `by` would, delivering the webhook when one is configured. */
  close(issue: FakeJiraIssue, by: FakeJiraUser = this.firstUser()): Promise<number | null> {
    return this.transition(issue, 'done', by);
  }
  /** Moves the issue back to To Do. */
  reopen(issue: FakeJiraIssue, by: FakeJiraUser = this.firstUser()): Promise<number | null> {
    return this.transition(issue, 'new', by);
  }
  /** Assigns the issue to `user`, or unassigns it with null. */
  assign(
    issue: FakeJiraIssue,
    user: FakeJiraUser | null,
    by: FakeJiraUser = this.firstUser(),
  ): Promise<number | null> {
    const before = this.users.find((u) => u.accountId === issue.assignee) ?? null;
    issue.assignee = user?.accountId ?? null;
    issue.updated = new Date().toISOString();
    return this.deliver(
      this.webhookFor('jira:issue_updated', issue, by, [
        {
          field: 'assignee',
          fieldtype: 'jira',
          fieldId: 'assignee',
          from: before?.accountId ?? null,
          fromString: before?.displayName ?? null,
          to: user?.accountId ?? null,
          toString: user?.displayName ?? null,
          tmpFromAccountId: before?.accountId ?? null,
          tmpToAccountId: user?.accountId ?? null,
        },
      ]),
    );
  }

  private transition(issue: FakeJiraIssue, to: StatusCategory, by: FakeJiraUser) {
    const before = issue.status;
    issue.status = STATUSES[to];
    issue.updated = new Date().toISOString();
    return this.deliver(
      this.webhookFor('jira:issue_updated', issue, by, [
        {
          field: 'status',
          fieldtype: 'jira',
          fieldId: 'status',
          from: before.id,
          fromString: before.name,
          to: issue.status.id,
          toString: issue.status.name,
        },
      ]),
    );
  }

  /**
   * The body and headers of a delivery, signed with `webhookSecret`: `jira:issue_updated` with these changelog
   * items, or another event (`comment_created`, `jira:issue_created`, `jira:issue_deleted`) without them.
   */
  webhookFor(event: string, issue: FakeJiraIssue, by: FakeJiraUser, items?: Record<string, unknown>[]) {
    const timestamp = Date.now();
    const raw = JSON.stringify({
      timestamp,
      webhookEvent: event,
      ...(event === 'jira:issue_updated'
        ? { issue_event_type_name: items?.[0]?.field === 'assignee' ? 'issue_assigned' : 'issue_generic' }
        : {}),
      user: this.userJson(by),
      issue: this.issueJson(issue),
      ...(items ? { changelog: { id: String(timestamp % 100_000), items } } : {}),
      ...(event.startsWith('comment_')
        ? { comment: { id: '10100', body: 'Looks good & <done> 🔥', author: this.userJson(by) } }
        : {}),
    });
    return { raw, headers: this.signedHeaders(raw) };
  }

  signedHeaders(raw: string, deliveryId: string = randomUUID()): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'x-atlassian-webhook-identifier': deliveryId,
      'user-agent': 'Atlassian Webhook HTTP Client',
    };
    if (this.webhookSecret) {
      headers['x-hub-signature'] =
        `sha256=${createHmac('sha256', this.webhookSecret).update(raw).digest('hex')}`;
    }
    return headers;
  }

  /** Posts a raw delivery (bad signatures, replays) to `webhookUrl`; the status answered. */
  async sendWebhook(raw: string, headers: Record<string, string>): Promise<number> {
    if (!this.webhookUrl) throw new Error('FakeJira has no webhookUrl');
    const res = await fetch(this.webhookUrl, { method: 'POST', headers, body: raw });
    await res.arrayBuffer();
    return res.status;
  }

  private deliver({ raw, headers }: { raw: string; headers: Record<string, string> }) {
    this.deliveries.push({ raw, headers });
    if (this.deliveries.length > RECORD_LIMIT) this.deliveries.shift();
    if (!this.webhookUrl) return Promise.resolve(null);
    return this.sendWebhook(raw, headers);
  }

  private firstUser(): FakeJiraUser {
    const user = this.users[0];
    if (!user) throw new Error('FakeJira has no users');
    return user;
  }

  private userJson(u: FakeJiraUser) {
    return {
      self: `${this.baseUrl}/rest/api/3/user?accountId=${u.accountId}`,
      accountId: u.accountId,
      accountType: u.accountType,
      ...(u.emailVisible ? { emailAddress: u.email } : {}),
      displayName: u.displayName,
      active: u.active,
      timeZone: 'Etc/UTC',
    };
  }

  private issueJson(i: FakeJiraIssue) {
    const assignee = this.users.find((u) => u.accountId === i.assignee);
    return {
      id: i.id,
      key: i.key,
      self: `${this.baseUrl}/rest/api/3/issue/${i.id}`,
      fields: {
        summary: i.summary,
        issuetype: { name: i.issueType },
        project: { key: i.project, id: this.projects.find((p) => p.key === i.project)?.id },
        labels: i.labels,
        duedate: i.duedate,
        description: i.description,
        assignee: assignee
          ? this.userJson(assignee)
          : i.assignee
            ? { accountId: i.assignee, active: false }
            : null,
        status: {
          id: i.status.id,
          name: i.status.name,
          statusCategory: {
            id: CATEGORY_IDS[i.status.category],
            key: i.status.category,
            name: i.status.category === 'done' ? 'Done' : i.status.name,
          },
        },
        created: i.created,
        updated: i.updated,
      },
    };
  }
}

/** All the text of an ADF document, as Jira counts it against the field limit. */
function adfText(node: unknown): string {
  if (!node || typeof node !== 'object') return '';
  const n = node as { text?: unknown; content?: unknown };
  const own = typeof n.text === 'string' ? n.text : '';
  return own + (Array.isArray(n.content) ? n.content.map(adfText).join('') : '');
}

function routeOf(method: string, path: string): string | null {
  if (method === 'POST' && path === '/rest/api/3/issue') return 'POST /rest/api/3/issue';
  if ((method === 'GET' || method === 'POST') && path === '/rest/api/3/search/jql')
    return `${method} /rest/api/3/search/jql`;
  if (method === 'GET' && path === '/rest/api/3/user/search') return 'GET /rest/api/3/user/search';
  if (method === 'GET' && /^\/rest\/api\/3\/issue\/[^/]+$/.test(path))
    return 'GET /rest/api/3/issue/{issueIdOrKey}';
  return null;
}
