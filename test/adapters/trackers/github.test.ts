import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubTracker } from '../../../src/adapters/trackers/github.js';
import type { TrackerError, TrackerIssueDraft } from '../../../src/domain/ports/tracker.js';
import { type RunningFakeGitHub, startFakeGitHub } from '../../fakes/fake-github.js';

const target = { tracker: 'github', repo: 'acme/checkout' } as const;
const draft = (over: Partial<TrackerIssueDraft> = {}): TrackerIssueDraft => ({
  idempotencyKey: 'muster-T0ABC-action-17',
  title: 'Add a circuit breaker to payments',
  body: 'Add a circuit breaker.\n\nOwner: @octocat',
  priority: 'p1',
  due: '2026-12-20',
  assignee: 'octocat',
  incidentRef: 'INC-42',
  incidentUrl: 'https://slack.com/app_redirect?channel=C1',
  ...over,
});

let gh: RunningFakeGitHub;
let tracker: GitHubTracker;
beforeEach(async () => {
  gh = await startFakeGitHub();
  tracker = new GitHubTracker({ token: gh.token, apiUrl: gh.apiUrl, timeoutMs: 2000 });
});
afterEach(() => gh.close());

async function failure(p: Promise<unknown>): Promise<TrackerError> {
  try {
    await p;
  } catch (err) {
    return err as TrackerError;
  }
  throw new Error('expected a failure');
}

describe('GitHubTracker', () => {
  it('creates an issue with title, body, due line, marker, priority label and assignee', async () => {
    const ref = await tracker.create(target, draft());
    expect(ref).toEqual({
      tracker: 'github',
      id: '1',
      key: 'acme/checkout#1',
      url: 'https://github.com/acme/checkout/issues/1',
    });
    const req = gh.fake.requests.find((r) => r.method === 'POST');
    expect(req?.path).toBe('/repos/acme/checkout/issues');
    expect(req?.headers.authorization).toBe(`token ${gh.token}`);
    const body = req?.body as { title: string; body: string; labels: string[]; assignees: string[] };
    expect(body.title).toBe('Add a circuit breaker to payments');
    expect(body.labels).toEqual(['P1']);
    expect(body.assignees).toEqual(['octocat']);
    expect(body.body).toContain('Add a circuit breaker.');
    expect(body.body).toContain('\nDue: 2026-12-20\n');
    expect(body.body).toContain('<!-- muster:follow-up muster-T0ABC-action-17 -->');
  });

  it('finds the issue right after creating it, and null for another key', async () => {
    const ref = await tracker.create(target, draft());
    expect(await tracker.find(target, 'muster-T0ABC-action-17')).toEqual(ref);
    expect(await tracker.find(target, 'muster-T0ABC-action-18')).toBeNull();
    const list = gh.fake.requests.find((r) => r.path === '/repos/acme/checkout/issues' && r.method === 'GET');
    expect(list?.query).toMatchObject({
      creator: 'muster-bot',
      state: 'all',
      sort: 'created',
      direction: 'desc',
    });
    expect(gh.fake.requests.filter((r) => r.path === '/user')).toHaveLength(1);
  });

  it('tells the state: open, closed, and the assignee with email', async () => {
    const ref = await tracker.create(target, draft());
    const issue = gh.fake.issues[0]!;
    expect(await tracker.state(ref)).toMatchObject({
      closed: false,
      assignee: { id: 'octocat', email: 'octocat@example.com' },
    });
    await gh.fake.close(issue);
    expect((await tracker.state(ref)).closed).toBe(true);
  });

  it('finds a user by email, and null when none', async () => {
    expect(await tracker.findUser(target, 'octocat@example.com')).toEqual({
      id: 'octocat',
      name: 'The Octocat',
      email: 'octocat@example.com',
    });
    expect(await tracker.findUser(target, 'nobody@example.com')).toBeNull();
  });

  it('keeps hostile text intact and the marker last', async () => {
    const long = `${'x'.repeat(40_000)} & <script>alert(1)</script> 🔥 **bold** <!-- -->`;
    await tracker.create(target, draft({ body: long, title: `${'t'.repeat(300)} & <b> 🔥` }));
    const sent = gh.fake.requests.find((r) => r.method === 'POST')?.body as { title: string; body: string };
    expect(sent.title.length).toBeLessThanOrEqual(256);
    expect(sent.body).toContain('& <script>alert(1)</script> 🔥 **bold**');
    expect(sent.body.trimEnd().endsWith('<!-- muster:follow-up muster-T0ABC-action-17 -->')).toBe(true);
    expect(await tracker.find(target, 'muster-T0ABC-action-17')).not.toBeNull();
  });

  it('maps every failure to a TrackerError code', async () => {
    const bad = new GitHubTracker({ token: 'wrong', apiUrl: gh.apiUrl });
    const e401 = await failure(bad.create(target, draft()));
    expect([e401.code, e401.status]).toEqual(['unauthorized', 401]);
    expect(e401.message).not.toContain('wrong');

    const e404 = await failure(tracker.create({ tracker: 'github', repo: 'acme/nope' }, draft()));
    expect(e404.code).toBe('not_found');
    expect(e404.message).toContain('acme/nope');

    const e422 = await failure(tracker.create(target, draft({ assignee: 'ghost' })));
    expect(e422.code).toBe('invalid_request');
    expect(e422.message).toContain('Validation Failed');
    expect(e422.message).toContain('assignees');

    gh.fake.failNext('POST /repos/{owner}/{repo}/issues', 403, 1, {
      body: { message: 'Resource not accessible by integration' },
    });
    const e403 = await failure(tracker.create(target, draft()));
    expect(e403.code).toBe('forbidden');
    expect(e403.message).toContain('Resource not accessible by integration');

    gh.fake.failNext('any', 403, 1, { retryAfter: 60, body: { message: 'API rate limit exceeded' } });
    const limited = await failure(tracker.create(target, draft()));
    expect([limited.code, limited.retryAfterSeconds, limited.retryable]).toEqual(['rate_limited', 60, true]);

    gh.fake.failNext('any', 429, 1, { retryAfter: 30 });
    expect((await failure(tracker.create(target, draft()))).code).toBe('rate_limited');

    gh.fake.down(502);
    expect((await failure(tracker.create(target, draft()))).code).toBe('server_error');
    gh.fake.up();
  });

  it('reports a hang as timeout and a closed port as network', async () => {
    const quick = new GitHubTracker({ token: gh.token, apiUrl: gh.apiUrl, timeoutMs: 200 });
    gh.fake.hang();
    expect((await failure(quick.create(target, draft()))).code).toBe('timeout');
    gh.fake.up();
    const nowhere = new GitHubTracker({ token: gh.token, apiUrl: 'http://127.0.0.1:1' });
    expect((await failure(nowhere.create(target, draft()))).code).toBe('network');
  });
});
