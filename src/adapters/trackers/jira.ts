/**
 * Jira Cloud as a follow-up tracker, over jira.js 5.4 (`Version3Client`, REST API v3, Basic auth with the
 * account's email and an API token).
 *
 * Choices and quirks:
 * - jira.js makes every call once (no retry, no throttling); the durable outbox owns retries. A 429 surfaces
 *   as `rate_limited` with Jira's Retry-After (or X-RateLimit-Reset, an ISO date).
 * - Timeouts: jira.js passes `baseRequestConfig` to axios, so `timeout` bounds every call; axios reports it
 *   as ECONNABORTED. jira.js wraps an HTTP answer in HttpException (status, body in `response.data`, the
 *   AxiosError with the headers in `cause`) and lets a connection failure through as the AxiosError itself.
 * - Jira has no follow-up marker: the idempotency key is a label (labels cannot hold spaces, so any would become
 *   `_`), beside `muster` and the priority (`p0`..`p3`), and `find` asks JQL for it. The JQL search is Jira's
 *   enhanced search (`/rest/api/3/search/jql`, which replaced `/rest/api/3/search`); Atlassian calls it
 *   eventually consistent, so an issue created a moment ago may be missing from it for a short while.
 * - A field missing from the project's create screen is refused with `errors.<field>` "cannot be set": the
 *   due date and assignee are then left out once, and said in the description instead.
 * - Jira answers an unknown project with a 400 (`errors.project`, or "does not exist for the field
 *   'project'" from JQL), which becomes `not_found`.
 */
import { HttpException, Version3Client } from 'jira.js';
import {
  type FollowUpTarget,
  type Tracker,
  TrackerError,
  type TrackerIssueDraft,
  type TrackerIssueRef,
  type TrackerIssueState,
  type TrackerUser,
} from '../../domain/ports/tracker.js';
import { cutText, jiraDescription } from './jira-description.js';
import { jiraError } from './jira-error.js';

export interface JiraTrackerOptions {
  /** the site, e.g. https://example.atlassian.net */
  baseUrl: string;
  /** the account the API token belongs to */
  email: string;
  apiToken: string;
  /** per request; default 10 s */
  timeoutMs?: number;
  /** epoch ms, to turn X-RateLimit-Reset into a wait */
  now?: () => number;
}

const SUMMARY_LIMIT = 255;
/** The fields Muster can do without when a project's create screen lacks them. */
const OPTIONAL_FIELDS = ['duedate', 'assignee'] as const;

/** The label that carries an idempotency key (Jira labels cannot hold whitespace). */
export function keyLabel(key: string): string {
  return key.replace(/\s+/g, '_');
}

/** A JQL string literal: double-quoted, with `"` and `\` escaped, so a value stays one value. */
export function jqlString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

interface WireUser {
  accountId?: string;
  displayName?: string;
  emailAddress?: string | null;
  active?: boolean;
  accountType?: string;
}
interface WireIssue {
  id: string;
  key: string;
  fields?: {
    status?: { statusCategory?: { key?: string } } | null;
    assignee?: WireUser | null;
  };
}

function projectOf(target: FollowUpTarget): { project: string; issueType: string } {
  if (target.tracker !== 'jira') {
    throw new TrackerError('invalid_request', `Jira cannot take follow-ups meant for ${target.tracker}`);
  }
  return { project: target.project, issueType: target.issueType || 'Task' };
}

/** The Tracker port over Jira Cloud; every method throws TrackerError and nothing else. */
export class JiraTracker implements Tracker {
  readonly kind = 'jira' as const;
  private readonly client: Version3Client;
  private readonly baseUrl: string;
  private readonly apiToken: string;
  private readonly now: () => number;

  constructor(options: JiraTrackerOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.apiToken = options.apiToken;
    this.now = options.now ?? Date.now;
    this.client = new Version3Client({
      host: this.baseUrl,
      authentication: { basic: { email: options.email, apiToken: options.apiToken } },
      baseRequestConfig: { timeout: options.timeoutMs ?? 10_000 },
    });
  }

  async create(target: FollowUpTarget, draft: TrackerIssueDraft): Promise<TrackerIssueRef> {
    const { project, issueType } = projectOf(target);
    const fields = (left: ReadonlySet<string>) => ({
      project: { key: project },
      issuetype: { name: issueType },
      // Jira refuses a summary with line breaks, or longer than 255 characters
      summary: cutText(draft.title.replace(/\s*[\r\n]+\s*/g, ' ').trim(), SUMMARY_LIMIT),
      description: jiraDescription(
        draft.body,
        { ref: draft.incidentRef, url: draft.incidentUrl },
        {
          due: left.has('duedate') ? draft.due : null,
          assigneeAccountId: left.has('assignee') ? draft.assignee : null,
        },
      ),
      labels: ['muster', keyLabel(draft.idempotencyKey), draft.priority],
      ...(draft.due && !left.has('duedate') ? { duedate: draft.due } : {}),
      ...(draft.assignee && !left.has('assignee') ? { assignee: { accountId: draft.assignee } } : {}),
    });
    const what = `the issue in ${project}`;
    const send = (left: ReadonlySet<string>) =>
      this.client.issues.createIssue({ fields: fields(left) }) as Promise<{ id: string; key: string }>;
    let created: { id: string; key: string };
    try {
      created = await send(new Set());
    } catch (err) {
      const refused = unsettable(err).filter(
        (f) => (f === 'duedate' && draft.due) || (f === 'assignee' && draft.assignee),
      );
      if (refused.length === 0) throw this.error(err, what, project);
      created = await this.call(what, project, () => send(new Set(refused)));
    }
    return this.ref(created);
  }

  async find(target: FollowUpTarget, idempotencyKey: string): Promise<TrackerIssueRef | null> {
    const { project } = projectOf(target);
    const jql = `project = ${jqlString(project)} AND labels = ${jqlString(keyLabel(idempotencyKey))}`;
    const res = await this.call(`issues of ${project}`, project, () =>
      this.client.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({
        jql,
        fields: ['summary'],
        maxResults: 5,
      }),
    );
    const first = (res.issues ?? [])[0] as WireIssue | undefined;
    return first ? this.ref(first) : null;
  }

  async state(ref: TrackerIssueRef): Promise<TrackerIssueState> {
    const issue = (await this.call(`issue ${ref.key}`, null, () =>
      this.client.issues.getIssue({ issueIdOrKey: ref.id, fields: ['status', 'assignee'] }),
    )) as WireIssue;
    const assignee = issue.fields?.assignee;
    return {
      ref: this.ref(issue),
      closed: issue.fields?.status?.statusCategory?.key === 'done',
      assignee: assignee?.accountId ? userOf(assignee) : null,
    };
  }

  async findUser(_target: FollowUpTarget, email: string): Promise<TrackerUser | null> {
    const users = (await this.call('users', null, () =>
      this.client.userSearch.findUsers({ query: email, maxResults: 10 }),
    )) as WireUser[];
    const wanted = email.trim().toLowerCase();
    const exact = users.find((u) => u.accountId && u.emailAddress?.toLowerCase() === wanted);
    if (exact) return userOf(exact);
    // Jira hides the address of people who chose so: a single real, active person found by it is the one.
    const people = users.filter((u) => u.accountId && u.active !== false && u.accountType === 'atlassian');
    const only = people.length === 1 ? people[0] : undefined;
    if (!only || (only.emailAddress && only.emailAddress.toLowerCase() !== wanted)) return null;
    return userOf(only);
  }

  private ref(issue: { id: string; key: string }): TrackerIssueRef {
    return {
      tracker: 'jira',
      id: String(issue.id),
      key: issue.key,
      url: `${this.baseUrl}/browse/${encodeURIComponent(issue.key)}`,
    };
  }

  private async call<T>(what: string, project: string | null, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw this.error(err, what, project);
    }
  }

  private error(err: unknown, what: string, project: string | null): TrackerError {
    return jiraError(err, { what, project, now: this.now(), secret: this.apiToken });
  }
}

function userOf(u: WireUser): TrackerUser {
  const id = u.accountId ?? '';
  return { id, name: u.displayName ?? id, email: u.emailAddress ?? null };
}

/**
 * The optional fields a create was refused for: missing from the create screen ("cannot be set"), or, for the
 * assignee, any refusal (a user who may not be assigned issues in the project): the issue is better created
 * unassigned, with the owner named in its description, than not at all.
 */
function unsettable(err: unknown): string[] {
  if (!(err instanceof HttpException) || err.status !== 400) return [];
  const data = (err.response as { data?: { errors?: Record<string, unknown> } } | undefined)?.data;
  const errors = data?.errors ?? {};
  return OPTIONAL_FIELDS.filter(
    (f) => typeof errors[f] === 'string' && (f === 'assignee' || /cannot be set/i.test(errors[f])),
  );
}
