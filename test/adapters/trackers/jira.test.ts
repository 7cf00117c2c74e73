import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configuredTrackers } from '../../../src/adapters/trackers/configured-trackers.js';
import { JiraTracker } from '../../../src/adapters/trackers/jira.js';
import { TrackerError, type TrackerIssueDraft } from '../../../src/domain/ports/tracker.js';
import { type RunningFakeJira, startFakeJira } from '../../fakes/fake-jira.js';

const OPS = { tracker: 'jira', project: 'OPS', issueType: 'Task' } as const;
const ADA = '5b10a2844c20165700ede21g';
const GRACE = '712020:grace-hidden-email';
const draft = (over: Partial<TrackerIssueDraft> = {}): TrackerIssueDraft => ({
  idempotencyKey: 'muster-T0ABC-action-17',
  title: 'Add a circuit breaker to payments',
  body: 'Add a circuit breaker & <script>alert(1)</script> 🔥\n**Owner**: Ada\n\nFrom [INC-42](https://slack.com/app_redirect?channel=C1)',
  priority: 'p1',
  due: '2026-12-20',
  assignee: ADA,
  incidentRef: 'INC-42',
  incidentUrl: 'https://slack.com/app_redirect?channel=C1',
  ...over,
});

interface SentFields {
  project: { key: string };
  issuetype: { name: string };
  summary: string;
  description: {
    type: string;
    version: number;
    content: { type: string; content: Record<string, unknown>[] }[];
  };
  labels: string[];
  duedate?: string;
  assignee?: { accountId: string };
}

let jira: RunningFakeJira;
let tracker: JiraTracker;
beforeEach(async () => {
  jira = await startFakeJira({
    projects: [{ key: 'OPS' }, { key: 'LEAN', createScreen: [] }],
    users: [
      {
        accountId: ADA,
        displayName: 'Ada Lovelace',
        email: 'ada@example.com',
        emailVisible: true,
        active: true,
        accountType: 'atlassian',
      },
      {
        accountId: GRACE,
        displayName: 'Grace Hopper',
        email: 'grace@example.com',
        emailVisible: false,
        active: true,
        accountType: 'atlassian',
      },
      {
        accountId: 'app:automation',
        displayName: 'Automation for Jira',
        email: 'automation@example.com',
        emailVisible: false,
        active: true,
        accountType: 'app',
      },
    ],
  });
  tracker = new JiraTracker({
    baseUrl: jira.baseUrl,
    email: jira.email,
    apiToken: jira.apiToken,
    timeoutMs: 2000,
  });
});
afterEach(() => jira.close());

async function failure(p: Promise<unknown>): Promise<TrackerError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TrackerError);
  expect((err as Error).message).not.toContain(jira.apiToken);
  return err as TrackerError;
}

function sentFields(n = 0): SentFields {
  const creates = jira.fake.requests.filter((r) => r.route === 'POST /rest/api/3/issue');
  const body = creates[n]?.body as { fields: SentFields } | undefined;
  if (!body) throw new Error(`no create request #${n}`);
  return body.fields;
}

describe('JiraTracker', () => {
  it('creates the issue with every field, over Basic auth', async () => {
    const ref = await tracker.create(OPS, draft());
    expect(ref).toEqual({ tracker: 'jira', id: '10001', key: 'OPS-1', url: `${jira.baseUrl}/browse/OPS-1` });
    const req = jira.fake.requests.find((r) => r.route === 'POST /rest/api/3/issue');
    expect(req?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${jira.email}:${jira.apiToken}`).toString('base64')}`,
    );
    const f = sentFields();
    expect(f.project).toEqual({ key: 'OPS' });
    expect(f.issuetype).toEqual({ name: 'Task' });
    expect(f.summary).toBe('Add a circuit breaker to payments');
    expect(f.labels).toEqual(['muster', 'muster-T0ABC-action-17', 'p1']);
    expect(f.duedate).toBe('2026-12-20');
    expect(f.assignee).toEqual({ accountId: ADA });
    expect(f.description).toEqual({
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Add a circuit breaker & <script>alert(1)</script> 🔥' },
            { type: 'hardBreak' },
            { type: 'text', text: '**Owner**: Ada' },
          ],
        },
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'From ' },
            {
              type: 'text',
              text: 'INC-42',
              marks: [{ type: 'link', attrs: { href: 'https://slack.com/app_redirect?channel=C1' } }],
            },
          ],
        },
      ],
    });
    expect(jira.fake.issues[0]).toMatchObject({ duedate: '2026-12-20', assignee: ADA, labels: f.labels });
  });

  it('leaves out an empty due date and assignee, and links a bare incident URL', async () => {
    await tracker.create(
      OPS,
      draft({ due: null, assignee: null, priority: 'p3', body: 'See https://slack.com/x?c=C1.' }),
    );
    const f = sentFields();
    expect(f).not.toHaveProperty('duedate');
    expect(f).not.toHaveProperty('assignee');
    expect(f.labels).toEqual(['muster', 'muster-T0ABC-action-17', 'p3']);
    expect(f.description.content[0]?.content).toEqual([
      { type: 'text', text: 'See ' },
      {
        type: 'text',
        text: 'https://slack.com/x?c=C1',
        marks: [{ type: 'link', attrs: { href: 'https://slack.com/x?c=C1' } }],
      },
      { type: 'text', text: '.' },
    ]);
  });

  it('retries once without the fields the create screen lacks, and says them in the description', async () => {
    const lean = { tracker: 'jira', project: 'LEAN', issueType: 'Task' } as const;
    const ref = await tracker.create(lean, draft());
    expect(ref.key).toBe('LEAN-1');
    const creates = jira.fake.requests.filter((r) => r.route === 'POST /rest/api/3/issue');
    expect(creates.map((r) => r.status)).toEqual([400, 201]);
    const retry = sentFields(1);
    expect(retry).not.toHaveProperty('duedate');
    expect(retry).not.toHaveProperty('assignee');
    expect(retry.labels).toEqual(['muster', 'muster-T0ABC-action-17', 'p1']);
    expect(retry.description.content.slice(-2)).toEqual([
      { type: 'paragraph', content: [{ type: 'text', text: 'Due: 2026-12-20' }] },
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'Assignee: ' },
          { type: 'mention', attrs: { id: ADA } },
        ],
      },
    ]);
  });

  it('creates the issue unassigned when Jira refuses the assignee, and does not retry other refusals', async () => {
    const ref = await tracker.create(OPS, draft({ assignee: 'no-such-account' }));
    expect(jira.fake.requests.filter((r) => r.route === 'POST /rest/api/3/issue')).toHaveLength(2);
    expect(jira.fake.issues.find((i) => i.id === ref.id)?.assignee).toBeNull();
    jira.fake.failNext('POST /rest/api/3/issue', 400, 1, {
      body: { errorMessages: [], errors: { summary: 'You must specify a summary of the issue.' } },
    });
    const e = await failure(tracker.create(OPS, draft()));
    expect([e.code, e.status]).toEqual(['invalid_request', 400]);
    expect(e.message).toBe(
      'Jira refused the issue in OPS: summary: You must specify a summary of the issue.',
    );
    expect(jira.fake.requests.filter((r) => r.route === 'POST /rest/api/3/issue')).toHaveLength(3);
  });

  it('finds the issue after a lost answer by its key label, and null for another key', async () => {
    // Jira makes the issue but the connection drops before its answer reaches Muster
    jira.fake.dropAnswer('POST /rest/api/3/issue');
    expect((await failure(tracker.create(OPS, draft()))).code).toBe('network');
    expect(jira.fake.issues).toHaveLength(1);
    const made = jira.fake.issues[0];
    expect(await tracker.find(OPS, 'muster-T0ABC-action-17')).toEqual({
      tracker: 'jira',
      id: made?.id,
      key: made?.key,
      url: `${jira.baseUrl}/browse/${made?.key}`,
    });
    expect(await tracker.find(OPS, 'muster-T0ABC-action-18')).toBeNull();
    const search = jira.fake.requests.find((r) => r.route === 'POST /rest/api/3/search/jql');
    expect((search?.body as { jql?: string } | undefined)?.jql).toBe(
      'project = "OPS" AND labels = "muster-T0ABC-action-17"',
    );
  });

  it('tells the state: open, done, reopened, and the assignee', async () => {
    const ref = await tracker.create(OPS, draft());
    const issue = jira.fake.issues[0]!;
    expect(await tracker.state(ref)).toEqual({
      ref,
      closed: false,
      assignee: { id: ADA, name: 'Ada Lovelace', email: 'ada@example.com' },
    });
    await jira.fake.close(issue);
    expect((await tracker.state(ref)).closed).toBe(true);
    await jira.fake.reopen(issue);
    await jira.fake.assign(issue, jira.fake.users[1]!);
    expect(await tracker.state(ref)).toMatchObject({
      closed: false,
      assignee: { id: GRACE, name: 'Grace Hopper', email: null },
    });
    await jira.fake.assign(issue, null);
    expect((await tracker.state(ref)).assignee).toBeNull();
    const get = jira.fake.requests.find((r) => r.route === 'GET /rest/api/3/issue/{issueIdOrKey}');
    expect(get?.path).toBe(`/rest/api/3/issue/${ref.id}`);
    expect(get?.query.fields).toBe('status,assignee');
  });

  it('finds a user by email, by the single person when Jira hides it, and null otherwise', async () => {
    expect(await tracker.findUser(OPS, 'ADA@example.com')).toEqual({
      id: ADA,
      name: 'Ada Lovelace',
      email: 'ada@example.com',
    });
    expect(await tracker.findUser(OPS, 'grace@example.com')).toEqual({
      id: GRACE,
      name: 'Grace Hopper',
      email: null,
    });
    // only an app account matches: not a person to own an action item
    expect(await tracker.findUser(OPS, 'automation@example.com')).toBeNull();
    expect(await tracker.findUser(OPS, 'nobody@example.com')).toBeNull();
    expect(jira.fake.requests.find((r) => r.route === 'GET /rest/api/3/user/search')?.query.query).toBe(
      'ADA@example.com',
    );
  });

  it('refuses two people found by a prefix, and one whose visible email differs', async () => {
    jira.fake.users.push({
      accountId: 'acc-ada2',
      displayName: 'Ada Byron',
      email: 'ada@example.com.au',
      emailVisible: false,
      active: true,
      accountType: 'atlassian',
    });
    // Ada's visible address matches exactly, so the other hit does not matter
    expect((await tracker.findUser(OPS, 'ada@example.com'))?.id).toBe(ADA);
    // two hidden-address people for one query: no guess
    jira.fake.users.push({ ...jira.fake.users[1]!, accountId: 'acc-grace2', email: 'grace@example.com.au' });
    expect(await tracker.findUser(OPS, 'grace@example.com')).toBeNull();
    // one visible address that is not the one asked for
    expect(await tracker.findUser(OPS, 'ada@example')).toBeNull();
  });

  it('keeps long and hostile text whole enough: summary cut at 255 without splitting an emoji', async () => {
    const title = `${'t'.repeat(253)}🔥 & <b>"quoted"</b>\nsecond line`;
    const body = `${'x'.repeat(40_000)} & <script>alert(1)</script> 🔥\n\nhttps://slack.com/app_redirect?channel=C1`;
    const ref = await tracker.create(OPS, draft({ title, body }));
    const f = sentFields();
    expect(f.summary.length).toBeLessThanOrEqual(255);
    expect(f.summary).toBe(`${'t'.repeat(253)}…`);
    const text = f.description.content
      .flatMap((p) => p.content)
      .map((n) => (typeof n.text === 'string' ? n.text : ''))
      .join('');
    expect(text.length).toBeLessThanOrEqual(32_767);
    expect(text).toContain(`${'x'.repeat(100)}…`);
    // the link back to the incident was in the part cut away: it comes back as its own paragraph
    expect(f.description.content.at(-1)?.content).toEqual([
      { type: 'text', text: 'Incident: ' },
      {
        type: 'text',
        text: 'INC-42',
        marks: [{ type: 'link', attrs: { href: 'https://slack.com/app_redirect?channel=C1' } }],
      },
    ]);
    expect(ref.key).toBe('OPS-1');

    await tracker.create(OPS, draft({ idempotencyKey: 'k2', title: '🔥'.repeat(200) }));
    const emoji = sentFields(1).summary;
    expect(emoji.length).toBeLessThanOrEqual(255);
    expect(emoji).toBe(`${'🔥'.repeat(127)}…`);

    await tracker.create(OPS, draft({ idempotencyKey: 'k3', title: 'line one\r\n  line two' }));
    expect(sentFields(2).summary).toBe('line one line two');
  });

  it('quotes hostile keys in JQL so they stay one value', async () => {
    const key = 'muster-"T0" AND labels = "x"\\-17';
    const ref = await tracker.create(OPS, draft({ idempotencyKey: key }));
    expect(sentFields().labels[1]).toBe(key.replace(/\s+/g, '_'));
    expect(await tracker.find(OPS, key)).toEqual(ref);
    expect(await tracker.find(OPS, 'muster-"T0"')).toBeNull();
    const other = { tracker: 'jira', project: 'OPS" OR project = "X', issueType: 'Task' } as const;
    expect((await failure(tracker.find(other, key))).code).toBe('not_found');
  });

  it('maps refusals to TrackerError codes', async () => {
    const bad = new JiraTracker({ baseUrl: jira.baseUrl, email: jira.email, apiToken: 'wrong-token' });
    const e401 = await failure(bad.create(OPS, draft()));
    expect([e401.code, e401.status, e401.retryable]).toEqual(['unauthorized', 401, false]);
    expect(e401.message).toContain('JIRA_API_TOKEN');
    expect(e401.message).not.toContain('wrong-token');

    jira.fake.failNext('POST /rest/api/3/issue', 403, 1, {
      body: { errorMessages: ['You do not have permission to create issues in this project.'], errors: {} },
    });
    const e403 = await failure(tracker.create(OPS, draft()));
    expect([e403.code, e403.status]).toEqual(['forbidden', 403]);
    expect(e403.message).toContain('You do not have permission to create issues in this project.');

    const unknown = { tracker: 'jira', project: 'NOPE', issueType: 'Task' } as const;
    const eProject = await failure(tracker.create(unknown, draft()));
    expect([eProject.code, eProject.status]).toEqual(['not_found', 400]);
    expect(eProject.message).toBe('Jira has no project NOPE, or the account cannot see it');
    expect((await failure(tracker.find(unknown, 'k'))).message).toContain('Jira has no project NOPE');

    const eType = await failure(tracker.create({ ...OPS, issueType: 'Epic' }, draft()));
    expect([eType.code, eType.status]).toEqual(['invalid_request', 400]);
    expect(eType.message).toBe('Jira refused the issue in OPS: issuetype: Specify a valid issue type');

    const e404 = await failure(tracker.state({ tracker: 'jira', id: '99999', key: 'OPS-404', url: 'x' }));
    expect([e404.code, e404.status]).toEqual(['not_found', 404]);
    expect(e404.message).toContain('OPS-404');

    jira.fake.failNext('any', 429, 1, { retryAfter: 42 });
    const limited = await failure(tracker.create(OPS, draft()));
    expect([limited.code, limited.status, limited.retryAfterSeconds, limited.retryable]).toEqual([
      'rate_limited',
      429,
      42,
      true,
    ]);

    jira.fake.down(503);
    const e503 = await failure(tracker.find(OPS, 'k'));
    expect([e503.code, e503.status, e503.retryable]).toEqual(['server_error', 503, true]);
    jira.fake.up();
  });

  it('reads a rate limit reset date when Jira gives no Retry-After', async () => {
    const now = Date.parse('2026-12-06T20:00:00Z');
    const timed = new JiraTracker({
      baseUrl: jira.baseUrl,
      email: jira.email,
      apiToken: jira.apiToken,
      now: () => now,
    });
    jira.fake.failNext('any', 429, 1, { headers: { 'x-ratelimit-reset': '2026-12-06T20:01:30Z' } });
    const limited = await failure(timed.findUser(OPS, 'ada@example.com'));
    expect([limited.code, limited.retryAfterSeconds]).toEqual(['rate_limited', 90]);
    expect(limited.message).toBe('Jira is rate-limiting Muster; retry in 90 s');
    jira.fake.failNext('any', 429, 1);
    expect((await failure(timed.findUser(OPS, 'ada@example.com'))).retryAfterSeconds).toBeUndefined();
  });

  it('reports a hang as timeout and a closed port as network', async () => {
    const quick = new JiraTracker({
      baseUrl: jira.baseUrl,
      email: jira.email,
      apiToken: jira.apiToken,
      timeoutMs: 200,
    });
    jira.fake.hang();
    const slow = await failure(quick.state({ tracker: 'jira', id: '10001', key: 'OPS-1', url: 'x' }));
    expect([slow.code, slow.retryable]).toEqual(['timeout', true]);
    jira.fake.up();
    const nowhere = new JiraTracker({
      baseUrl: 'http://127.0.0.1:1',
      email: jira.email,
      apiToken: jira.apiToken,
    });
    const refused = await failure(nowhere.create(OPS, draft()));
    expect([refused.code, refused.retryable]).toEqual(['network', true]);
  });

  it('refuses a target meant for another tracker', async () => {
    const e = await failure(tracker.create({ tracker: 'github', repo: 'acme/checkout' }, draft()));
    expect(e.code).toBe('invalid_request');
    expect(jira.fake.requests).toHaveLength(0);
  });

  it('is one of the configured trackers when JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN are set', async () => {
    const none = {
      GITHUB_TOKEN: undefined,
      GITHUB_API_URL: 'https://api.github.com',
      LINEAR_API_KEY: undefined,
      LINEAR_API_URL: 'https://api.linear.app/graphql',
    };
    const configured = configuredTrackers({
      ...none,
      JIRA_BASE_URL: jira.baseUrl,
      JIRA_EMAIL: jira.email,
      JIRA_API_TOKEN: jira.apiToken,
    }).get('jira');
    expect(configured?.kind).toBe('jira');
    expect((await configured?.create(OPS, draft()))?.key).toBe('OPS-1');
    const partial = {
      ...none,
      JIRA_BASE_URL: jira.baseUrl,
      JIRA_EMAIL: jira.email,
      JIRA_API_TOKEN: undefined,
    };
    expect(configuredTrackers(partial).get('jira')).toBeNull();
  });
});
