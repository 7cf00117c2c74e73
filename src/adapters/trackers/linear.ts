/**
 * The Tracker port over Linear's GraphQL API with @linear/sdk's LinearClient.
 *
 * Quirks and choices:
 * - We send our own GraphQL documents through the SDK's graphql client (`client.client.rawRequest`) so that
 *   each call is one request we can name in errors; the SDK's generated models lazily fetch more.
 * - The SDK does not retry or throttle; a RatelimitedLinearError carries `retryAfter` (seconds). We retry
 *   only through the durable outbox.
 * - The idempotency key lives in a hidden marker line at the end of the description:
 *   `<!-- muster:follow-up KEY -->`; `find` searches descriptions containing the key.
 * - Timeouts: the SDK takes no per-call deadline, so each call races a timer of `timeoutMs`.
 */
import { LinearClient, LinearError, RatelimitedLinearError } from '@linear/sdk';
import type { Priority } from '../../domain/command.js';
import {
  type FollowUpTarget,
  type Tracker,
  TrackerError,
  type TrackerIssueDraft,
  type TrackerIssueRef,
  type TrackerIssueState,
  type TrackerUser,
} from '../../domain/ports/tracker.js';

export interface LinearTrackerOptions {
  apiKey: string;
  /** default https://api.linear.app/graphql */
  apiUrl?: string;
  /** per call, default 10 000 ms */
  timeoutMs?: number;
}

/** Linear's priority: 1 urgent, 2 high, 3 medium, 4 low (0 is none). */
const PRIORITY: Record<Priority, number> = { p0: 1, p1: 2, p2: 3, p3: 4 };

/** The hidden line that names the action item in the issue's description. */
export function followUpMarker(key: string): string {
  return `<!-- muster:follow-up ${key} -->`;
}

interface IssueNode {
  id: string;
  identifier: string;
  url: string;
  state?: { type: string } | null;
  assignee?: { id: string; name: string; email?: string | null } | null;
}

/** Linear as a follow-up tracker; every method throws TrackerError and nothing else. */
export class LinearTracker implements Tracker {
  readonly kind = 'linear' as const;
  private readonly client: LinearClient;
  private readonly timeoutMs: number;
  private readonly teamIds = new Map<string, string>();

  constructor(options: LinearTrackerOptions) {
    this.client = new LinearClient({
      apiKey: options.apiKey,
      apiUrl: options.apiUrl ?? 'https://api.linear.app/graphql',
    });
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async create(target: FollowUpTarget, draft: TrackerIssueDraft): Promise<TrackerIssueRef> {
    const teamId = await this.teamId(target);
    const input: Record<string, unknown> = {
      teamId,
      title: draft.title,
      description: `${draft.body}\n\n${followUpMarker(draft.idempotencyKey)}\n`,
      priority: PRIORITY[draft.priority] ?? 0,
    };
    if (draft.due) input.dueDate = draft.due;
    if (draft.assignee) input.assigneeId = draft.assignee;
    const data = await this.call<{ issueCreate: { success: boolean; issue: IssueNode | null } }>(
      'create the issue',
      `mutation IssueCreate($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { id identifier url } } }`,
      { input },
    );
    const issue = data.issueCreate?.issue;
    if (!data.issueCreate?.success || !issue) {
      throw new TrackerError(
        'invalid_request',
        'Linear did not create the issue (issueCreate was not successful)',
      );
    }
    return ref(issue);
  }

  async find(target: FollowUpTarget, idempotencyKey: string): Promise<TrackerIssueRef | null> {
    const team = teamKey(target);
    const data = await this.call<{ issues: { nodes: IssueNode[] } }>(
      'look for the issue',
      `query FindFollowUp($filter: IssueFilter) { issues(filter: $filter, first: 5) { nodes { id identifier url } } }`,
      { filter: { team: { key: { eq: team } }, description: { contains: followUpMarker(idempotencyKey) } } },
    );
    const first = data.issues?.nodes?.[0];
    return first ? ref(first) : null;
  }

  async state(issueRef: TrackerIssueRef): Promise<TrackerIssueState> {
    const data = await this.call<{ issue: IssueNode | null }>(
      `read ${issueRef.key}`,
      `query IssueState($id: String!) { issue(id: $id) { id identifier url state { type } assignee { id name email } } }`,
      { id: issueRef.id },
    );
    if (!data.issue) throw new TrackerError('not_found', `Linear has no issue ${issueRef.key}`, 404);
    const type = data.issue.state?.type ?? '';
    const a = data.issue.assignee;
    return {
      ref: ref(data.issue),
      closed: type === 'completed' || type === 'canceled',
      assignee: a ? { id: a.id, name: a.name, email: a.email ?? null } : null,
    };
  }

  async findUser(_target: FollowUpTarget, email: string): Promise<TrackerUser | null> {
    const data = await this.call<{ users: { nodes: { id: string; name: string; email: string | null }[] } }>(
      'look up the user',
      `query FindUser($filter: UserFilter) { users(filter: $filter, first: 1) { nodes { id name email } } }`,
      { filter: { email: { eqIgnoreCase: email } } },
    );
    const u = data.users?.nodes?.[0];
    return u ? { id: u.id, name: u.name, email: u.email ?? null } : null;
  }

  private async teamId(target: FollowUpTarget): Promise<string> {
    const key = teamKey(target);
    const cached = this.teamIds.get(key);
    if (cached) return cached;
    const data = await this.call<{ teams: { nodes: { id: string; key: string }[] } }>(
      `find team ${key}`,
      `query TeamByKey($filter: TeamFilter) { teams(filter: $filter, first: 1) { nodes { id key } } }`,
      { filter: { key: { eq: key } } },
    );
    const team = data.teams?.nodes?.[0];
    if (!team) throw new TrackerError('not_found', `Linear has no team ${key}`, 404);
    this.teamIds.set(key, team.id);
    return team.id;
  }

  private async call<T>(what: string, query: string, variables: Record<string, unknown>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new TrackerError('timeout', `Linear did not answer within ${this.timeoutMs} ms (${what})`)),
        this.timeoutMs,
      );
    });
    try {
      const res = await Promise.race([
        this.client.client.rawRequest<T, Record<string, unknown>>(query, variables),
        deadline,
      ]);
      return res.data as T;
    } catch (err) {
      throw toTrackerError(err, what);
    } finally {
      clearTimeout(timer);
    }
  }
}

function teamKey(target: FollowUpTarget): string {
  if (target.tracker !== 'linear')
    throw new TrackerError('invalid_request', `Linear cannot take follow-ups for ${target.tracker}`);
  return target.team;
}

function ref(issue: IssueNode): TrackerIssueRef {
  return { tracker: 'linear', id: issue.id, key: issue.identifier, url: issue.url };
}

/** Maps whatever the SDK threw to a TrackerError whose message names what Linear refused, never the key. */
export function toTrackerError(err: unknown, what: string): TrackerError {
  if (err instanceof TrackerError) return err;
  if (err instanceof RatelimitedLinearError) {
    return new TrackerError(
      'rate_limited',
      `Linear is rate limiting us (${what})`,
      err.status ?? 429,
      err.retryAfter,
    );
  }
  if (err instanceof LinearError) {
    const status = err.status;
    const messages =
      (err.errors ?? [])
        .map((e) => e.message)
        .filter(Boolean)
        .join('; ') || err.message;
    const detail = `Linear refused to ${what}: ${messages}`;
    if (err.type === 'AuthenticationError' || status === 401)
      return new TrackerError('unauthorized', `${detail} (check LINEAR_API_KEY)`, status ?? 401);
    if (err.type === 'Forbidden' || status === 403)
      return new TrackerError('forbidden', detail, status ?? 403);
    if (status === 404) return new TrackerError('not_found', detail, 404);
    if (status !== undefined && status >= 500)
      return new TrackerError('server_error', `Linear failed (${status}) to ${what}`, status);
    if (err.type === 'NetworkError' && status === undefined)
      return new TrackerError('network', `Linear could not be reached to ${what}`);
    return new TrackerError('invalid_request', detail, status ?? 400);
  }
  return new TrackerError('network', `Linear could not be reached to ${what}`);
}
