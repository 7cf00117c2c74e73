/**
 * A small Linear: one GraphQL endpoint (`/graphql`) answering the operations Muster's Linear adapter sends
 * (teams by key, issueCreate, issues filtered by team and description, issue by id, users by email), in the
 * shapes of Linear's public GraphQL API. It records every request (the last 500), fails, goes down or hangs on
 * demand, and can act as a person: close, reopen or assign an issue, delivering a signed webhook.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface FakeLinearIssue {
  id: string;
  identifier: string;
  url: string;
  teamId: string;
  title: string;
  description: string;
  priority: number;
  dueDate: string | null;
  assigneeId: string | null;
  stateType: 'unstarted' | 'started' | 'completed' | 'canceled';
  createdAt: string;
  updatedAt: string;
}
export interface FakeLinearUser {
  id: string;
  name: string;
  email: string;
}
export interface FakeLinearRequest {
  operationName: string | null;
  query: string;
  variables: Record<string, unknown>;
  authorization: string | undefined;
}
export interface FakeLinearOptions {
  apiKey?: string;
  webhookUrl?: string;
  webhookSecret?: string;
  teams?: { id: string; key: string }[];
  users?: FakeLinearUser[];
}
interface Failure {
  route: string;
  status: number;
  times: number;
  retryAfter?: number;
  body?: unknown;
}

const MAX_RECORDED = 500;

// biome-ignore lint/suspicious/noExplicitAny: GraphQL variables are read loosely, as a server would
type Loose = Record<string, any>;

/** The emulator; `handle` answers POST /graphql and returns false for anything else. */
export class FakeLinear {
  readonly apiKey: string;
  readonly issues: FakeLinearIssue[] = [];
  readonly users: FakeLinearUser[];
  readonly teams: { id: string; key: string }[];
  readonly requests: FakeLinearRequest[] = [];
  webhookUrl: string | undefined;
  webhookSecret: string | undefined;
  private failures: Failure[] = [];
  private downStatus: number | null = null;
  private hanging = false;
  private readonly held: ServerResponse[] = [];
  private counter = 0;

  constructor(options: FakeLinearOptions = {}) {
    this.apiKey = options.apiKey ?? 'lin_api_fake_0123456789';
    this.webhookUrl = options.webhookUrl;
    this.webhookSecret = options.webhookSecret;
    this.teams = options.teams ?? [{ id: 'team-eng-uuid', key: 'ENG' }];
    this.users = options.users ?? [{ id: 'user-ada-uuid', name: 'Ada Lovelace', email: 'ada@example.com' }];
  }

  /** The next `times` requests to `route` (an operation name, or 'any') answer `status`. */
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
  }
  hang(): void {
    this.hanging = true;
  }
  /** Ends held requests (for closing the server). */
  release(): void {
    for (const res of this.held.splice(0)) res.destroy();
  }

  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'POST' || !(req.url ?? '').startsWith('/graphql')) return false;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => this.answer(req, res, Buffer.concat(chunks).toString('utf8')));
    return true;
  }

  private answer(req: IncomingMessage, res: ServerResponse, raw: string): undefined {
    let body: { query?: string; variables?: Record<string, unknown>; operationName?: string };
    try {
      body = JSON.parse(raw);
    } catch {
      return send(res, 400, { errors: [{ message: 'Body is not valid JSON' }] });
    }
    const query = body.query ?? '';
    const operationName = body.operationName ?? /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? null;
    this.requests.push({
      operationName,
      query,
      variables: body.variables ?? {},
      authorization: req.headers.authorization,
    });
    if (this.requests.length > MAX_RECORDED) this.requests.shift();
    if (this.hanging) {
      this.held.push(res);
      return;
    }
    if (this.downStatus !== null)
      return send(res, this.downStatus, { errors: [{ message: 'Service unavailable' }] });
    const failure = this.failures.find((f) => f.route === 'any' || f.route === operationName);
    if (failure) {
      failure.times -= 1;
      if (failure.times <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
      const headers: Record<string, string> = {};
      if (failure.retryAfter !== undefined) {
        headers['retry-after'] = String(failure.retryAfter);
        headers['x-ratelimit-requests-remaining'] = '0';
      }
      return send(res, failure.status, failure.body ?? defaultError(failure.status), headers);
    }
    if (req.headers.authorization !== this.apiKey) {
      return send(res, 400, {
        errors: [
          {
            message: 'Authentication required, not authenticated',
            extensions: { type: 'authentication error', code: 'AUTHENTICATION_ERROR' },
          },
        ],
      });
    }
    send(res, 200, { data: this.resolve(query, body.variables ?? {}) });
  }

  private resolve(query: string, v: Record<string, unknown>): unknown {
    const filter = (v.filter ?? {}) as Loose;
    if (query.includes('issueCreate')) {
      const input = v.input as Loose;
      const team = this.teams.find((t) => t.id === input.teamId);
      if (!team) return { issueCreate: { success: false, issue: null } };
      this.counter += 1;
      const now = new Date().toISOString();
      const identifier = `${team.key}-${this.counter}`;
      const issue: FakeLinearIssue = {
        id: randomUUID(),
        identifier,
        url: `https://linear.app/fake/issue/${identifier}`,
        teamId: team.id,
        title: input.title,
        description: input.description ?? '',
        priority: input.priority ?? 0,
        dueDate: input.dueDate ?? null,
        assigneeId: input.assigneeId ?? null,
        stateType: 'unstarted',
        createdAt: now,
        updatedAt: now,
      };
      this.issues.push(issue);
      return { issueCreate: { success: true, issue: this.wire(issue) } };
    }
    if (query.includes('teams(')) {
      const key = filter.key?.eq;
      return { teams: { nodes: this.teams.filter((t) => t.key === key) } };
    }
    if (query.includes('issues(')) {
      const team = this.teams.find((t) => t.key === filter.team?.key?.eq);
      const needle: string = filter.description?.contains ?? '';
      const nodes = this.issues.filter((i) => i.teamId === team?.id && i.description.includes(needle));
      return { issues: { nodes: nodes.map((i) => this.wire(i)) } };
    }
    if (query.includes('issue(')) {
      const issue = this.issues.find((i) => i.id === v.id || i.identifier === v.id);
      return { issue: issue ? this.wire(issue) : null };
    }
    if (query.includes('users(')) {
      const email = String(filter.email?.eqIgnoreCase ?? filter.email?.eq ?? '').toLowerCase();
      return { users: { nodes: this.users.filter((u) => u.email.toLowerCase() === email) } };
    }
    return null;
  }

  private wire(i: FakeLinearIssue) {
    const a = this.users.find((u) => u.id === i.assigneeId);
    return {
      id: i.id,
      identifier: i.identifier,
      url: i.url,
      title: i.title,
      description: i.description,
      priority: i.priority,
      dueDate: i.dueDate,
      state: { type: i.stateType },
      assignee: a ? { id: a.id, name: a.name, email: a.email } : null,
    };
  }

  close(issue: FakeLinearIssue, deliver = true) {
    return this.change(
      issue,
      { stateId: `state-${issue.stateType}` },
      () => (issue.stateType = 'completed'),
      deliver,
    );
  }
  reopen(issue: FakeLinearIssue, deliver = true) {
    return this.change(
      issue,
      { stateId: `state-${issue.stateType}` },
      () => (issue.stateType = 'unstarted'),
      deliver,
    );
  }
  assign(issue: FakeLinearIssue, user: FakeLinearUser | null, deliver = true) {
    return this.change(
      issue,
      { assigneeId: issue.assigneeId },
      () => (issue.assigneeId = user?.id ?? null),
      deliver,
    );
  }

  private async change(
    issue: FakeLinearIssue,
    updatedFrom: Record<string, unknown>,
    apply: () => unknown,
    deliver: boolean,
  ) {
    apply();
    issue.updatedAt = new Date().toISOString();
    if (!deliver) return null;
    const a = this.users.find((u) => u.id === issue.assigneeId);
    const body = {
      action: 'update',
      type: 'Issue',
      actor: { id: 'user-fake-actor', name: 'Fake Linear user' },
      createdAt: issue.updatedAt,
      webhookId: 'webhook-fake',
      webhookTimestamp: Date.now(),
      url: issue.url,
      data: {
        ...this.wire(issue),
        assigneeId: issue.assigneeId,
        updatedAt: issue.updatedAt,
        assignee: a ? { id: a.id, name: a.name, email: a.email } : null,
      },
      updatedFrom,
    };
    return this.sendWebhook(JSON.stringify(body));
  }

  /** Posts a raw body to `webhookUrl`, signed with `webhookSecret` unless a signature is given. */
  async sendWebhook(
    raw: string,
    options: { signature?: string | null; deliveryId?: string } = {},
  ): Promise<number> {
    if (!this.webhookUrl) throw new Error('FakeLinear has no webhookUrl');
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'linear-delivery': options.deliveryId ?? randomUUID(),
      'linear-event': 'Issue',
    };
    const signature =
      options.signature === undefined
        ? createHmac('sha256', this.webhookSecret ?? '')
            .update(raw)
            .digest('hex')
        : options.signature;
    if (signature !== null) headers['linear-signature'] = signature;
    const res = await fetch(this.webhookUrl, { method: 'POST', headers, body: raw });
    return res.status;
  }
}

function defaultError(status: number) {
  if (status === 429)
    return {
      errors: [{ message: 'Rate limit exceeded', extensions: { type: 'ratelimited', code: 'RATELIMITED' } }],
    };
  return { errors: [{ message: `Fake Linear failure ${status}` }] };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): undefined {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
  return undefined;
}
