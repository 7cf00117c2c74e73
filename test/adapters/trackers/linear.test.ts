import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LinearTracker, followUpMarker } from '../../../src/adapters/trackers/linear.js';
import { TrackerError, type TrackerIssueDraft } from '../../../src/domain/ports/tracker.js';
import { type RunningFakeLinear, startFakeLinear } from '../../fakes/fake-linear.js';

const ENG = { tracker: 'linear', team: 'ENG' } as const;
const draft = (over: Partial<TrackerIssueDraft> = {}): TrackerIssueDraft => ({
  idempotencyKey: 'muster-T0ABC-action-17',
  title: 'Add a retry to the checkout worker',
  body: 'Add a retry & <script>alert(1)</script> 🚒\n\n**Owner**: Ada',
  priority: 'p1',
  due: '2026-12-20',
  assignee: 'user-ada-uuid',
  incidentRef: 'INC-42',
  incidentUrl: 'https://slack.example/C1',
  ...over,
});

let lin: RunningFakeLinear;
let tracker: LinearTracker;
beforeEach(async () => {
  lin = await startFakeLinear();
  tracker = new LinearTracker({ apiKey: lin.apiKey, apiUrl: lin.apiUrl, timeoutMs: 10_000 });
});
afterEach(() => lin.close());

async function failure(p: Promise<unknown>): Promise<TrackerError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TrackerError);
  expect((err as Error).message).not.toContain(lin.apiKey);
  return err as TrackerError;
}

describe('LinearTracker', () => {
  it('creates the issue with every field, then finds it by its key', async () => {
    const ref = await tracker.create(ENG, draft());
    expect(ref).toMatchObject({ tracker: 'linear', key: 'ENG-1' });
    const create = lin.fake.requests.find((r) => r.operationName === 'IssueCreate');
    expect(create?.authorization).toBe(lin.apiKey);
    const input = create?.variables.input as Record<string, unknown>;
    expect(input.teamId).toBe('team-eng-uuid');
    expect(input.title).toBe('Add a retry to the checkout worker');
    expect(input.priority).toBe(2);
    expect(input.dueDate).toBe('2026-12-20');
    expect(input.assigneeId).toBe('user-ada-uuid');
    expect(input.description).toContain('<script>alert(1)</script> 🚒');
    expect(input.description).toContain(followUpMarker('muster-T0ABC-action-17'));
    expect(await tracker.find(ENG, 'muster-T0ABC-action-17')).toEqual(ref);
    expect(await tracker.find(ENG, 'muster-T0ABC-action-18')).toBeNull();
  });

  it('maps P0..P3 and leaves out an empty due date and assignee; resolves the team once', async () => {
    await tracker.create(ENG, draft({ idempotencyKey: 'k0', priority: 'p0', due: null, assignee: null }));
    await tracker.create(ENG, draft({ idempotencyKey: 'k3', priority: 'p3' }));
    const inputs = lin.fake.requests
      .filter((r) => r.operationName === 'IssueCreate')
      .map((r) => r.variables.input as Record<string, unknown>);
    expect(inputs[0]).not.toHaveProperty('dueDate');
    expect(inputs[0]).not.toHaveProperty('assigneeId');
    expect(inputs.map((i) => i.priority)).toEqual([1, 4]);
    expect(lin.fake.requests.filter((r) => r.operationName === 'TeamByKey')).toHaveLength(1);
  });

  it('keeps a 40,000-character hostile body and the marker intact', async () => {
    const body = `${'a & b < c 🚒 `code` [x](y) '.repeat(1500)}`.slice(0, 40_000);
    await tracker.create(ENG, draft({ body }));
    expect(lin.fake.issues[0]?.description.startsWith(body)).toBe(true);
    expect(await tracker.find(ENG, 'muster-T0ABC-action-17')).not.toBeNull();
  });

  it('tells the state: open, closed and assignee with email', async () => {
    const ref = await tracker.create(ENG, draft());
    expect(await tracker.state(ref)).toMatchObject({
      closed: false,
      assignee: { id: 'user-ada-uuid', email: 'ada@example.com' },
    });
    const issue = lin.fake.issues[0]!;
    await lin.fake.close(issue, false);
    await lin.fake.assign(issue, null, false);
    expect(await tracker.state(ref)).toMatchObject({ closed: true, assignee: null });
  });

  it('finds a user by email, or null', async () => {
    expect(await tracker.findUser(ENG, 'ADA@example.com')).toEqual({
      id: 'user-ada-uuid',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
    });
    expect(await tracker.findUser(ENG, 'nobody@example.com')).toBeNull();
  });

  it('says which team is unknown', async () => {
    const err = await failure(tracker.create({ tracker: 'linear', team: 'OPS' }, draft()));
    expect(err.code).toBe('not_found');
    expect(err.message).toBe('Linear has no team OPS');
  });

  it('maps failures to codes', async () => {
    const bad = new LinearTracker({ apiKey: 'lin_api_wrong_secret', apiUrl: lin.apiUrl, timeoutMs: 10_000 });
    const unauthorized = await failure(bad.findUser(ENG, 'a@b.c'));
    expect(unauthorized.code).toBe('unauthorized');
    expect(unauthorized.message).not.toContain('lin_api_wrong_secret');

    lin.fake.failNext('FindUser', 403, 1, {
      body: { errors: [{ message: 'Forbidden', extensions: { type: 'forbidden', code: 'FORBIDDEN' } }] },
    });
    expect((await failure(tracker.findUser(ENG, 'a@b.c'))).code).toBe('forbidden');

    lin.fake.failNext('any', 429, 1, { retryAfter: 30 });
    const limited = await failure(tracker.findUser(ENG, 'a@b.c'));
    expect(limited.code).toBe('rate_limited');
    expect(limited.retryable).toBe(true);
    expect(limited.retryAfterSeconds).toBe(30);

    lin.fake.failNext('IssueCreate', 400, 1, {
      body: {
        errors: [
          {
            message: 'Argument Validation Error',
            extensions: {
              type: 'invalid input',
              code: 'INVALID_INPUT',
              userPresentableMessage: 'dueDate must be a valid date',
            },
          },
        ],
      },
    });
    const invalid = await failure(tracker.create(ENG, draft()));
    expect(invalid.code).toBe('invalid_request');

    lin.fake.down(502);
    expect((await failure(tracker.findUser(ENG, 'a@b.c'))).code).toBe('server_error');
    lin.fake.up();

    lin.fake.hang();
    // a tracker that waits only briefly: the answer never comes
    const impatient = new LinearTracker({ apiKey: lin.apiKey, apiUrl: lin.apiUrl, timeoutMs: 300 });
    expect((await failure(impatient.findUser(ENG, 'a@b.c'))).code).toBe('timeout');
    lin.fake.up();
  });

  it('a connection refused is a network error', async () => {
    const gone = new LinearTracker({ apiKey: 'k', apiUrl: 'http://127.0.0.1:9/graphql', timeoutMs: 2000 });
    expect((await failure(gone.findUser(ENG, 'a@b.c'))).code).toBe('network');
  });
});
