/**
 * What comes back from the trackers, on the real app: GitHub and Linear webhooks (signed, stored before the
 * answer, applied once) and the 15-minute poll close, reopen and reassign an action item whose issue exists,
 * with its timeline entry and a message in the incident channel.
 */
import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { GitHubWebhook } from '../../src/adapters/trackers/github-webhook.js';
import { trackerWebhookRoute } from '../../src/adapters/trackers/webhook-route.js';
import { storedTrackerDelivery } from '../../src/app/follow-ups/apply-issue-change.js';
import type { TrackerIssueRef } from '../../src/domain/ports/tracker.js';
import { type RunningFakeGitHub, startFakeGitHub } from '../fakes/fake-github.js';
import { type RunningFakeLinear, startFakeLinear } from '../fakes/fake-linear.js';
import { type IncidentChannel, openIncident } from '../support/incident-channel.js';
import { removeTempDirs } from '../support/temp-dir.js';

const GH_SECRET = 'gh-webhook-secret-3f1c';
const LINEAR_SECRET = 'linear-webhook-secret-9a2e';
const OCTOCAT = { login: 'octocat', name: 'The Octocat', email: 'octocat@example.com' };
/** Carol's GitHub account has the email of Carol's Slack account (the fake Slack's seeded U0CAROL). */
const CAROL_GH = { login: 'carol-n', name: 'Carol Nguyen', email: 'carol@example.com' };
const ISSUE_ROUTE = 'GET /repos/{owner}/{repo}/issues/{issue_number}';

interface World {
  c: IncidentChannel;
  gh: RunningFakeGitHub;
  linear: RunningFakeLinear;
}

let w: World | null = null;
afterEach(async () => {
  await w?.c.h.stop();
  await w?.gh.close();
  await w?.linear.close();
  w = null;
});
afterAll(() => removeTempDirs());

/** An incident on the real app with GitHub and Linear configured (their secrets unless `unset`). */
async function start(unset: string[] = []): Promise<World> {
  const gh = await startFakeGitHub({ webhookSecret: GH_SECRET, users: [OCTOCAT, CAROL_GH] });
  const linear = await startFakeLinear({
    webhookSecret: LINEAR_SECRET,
    users: [{ id: 'user-carol', name: 'Carol Nguyen', email: 'carol@example.com' }],
  });
  const env: Record<string, string> = {
    GITHUB_TOKEN: gh.token,
    GITHUB_API_URL: gh.apiUrl,
    GITHUB_WEBHOOK_SECRET: GH_SECRET,
    LINEAR_API_KEY: linear.apiKey,
    LINEAR_API_URL: linear.apiUrl,
    LINEAR_WEBHOOK_SECRET: LINEAR_SECRET,
  };
  for (const k of unset) delete env[k];
  // the app's clock starts now: Linear signs its deliveries with the time they leave
  const c = await openIncident({ env, at: Date.now() });
  gh.fake.webhookUrl = `${c.h.url}/webhooks/github`;
  linear.fake.webhookUrl = `${c.h.url}/webhooks/linear`;
  w = { c, gh, linear };
  return w;
}

/** Records an action with `/incident action`, creates its issue in the tracker, and links them as the worker would. */
async function linkedAction(
  world: World,
  text: string,
  tracker: 'github' | 'linear' = 'github',
  existing?: TrackerIssueRef,
) {
  const { c } = world;
  expect((await c.command(`action ${text} <@U0BOB>`)).status).toBe(200);
  await c.h.idle();
  const item = (await c.h.app.store.actions.list(c.incident.number)).find((i) => i.text === text)!;
  const target =
    tracker === 'github'
      ? ({ tracker: 'github', repo: 'acme/checkout' } as const)
      : ({ tracker: 'linear', team: 'ENG' } as const);
  const key = `muster-T0MUSTER-action-${item.id}`;
  const ref: TrackerIssueRef =
    existing ??
    (await c.h.app.deps.trackers.get(tracker)!.create(target, {
      idempotencyKey: key,
      title: text,
      body: text,
      priority: 'p2',
      due: null,
      assignee: null,
      incidentRef: `INC-${c.incident.number}`,
      incidentUrl: null,
    }));
  const now = c.h.clock.now();
  const store = c.h.app.store;
  expect(await store.followUps.queue({ actionId: item.id, target, idempotencyKey: key, now })).toBe(true);
  await store.followUps.claimDue(now, { owner: 'test-worker', until: now + 20_000, limit: 10 });
  expect(await store.followUps.markCreated(item.id, 'test-worker', ref, now)).toBe(true);
  return { item, ref };
}

const ghIssue = (world: World, ref: TrackerIssueRef) =>
  world.gh.fake.issues.find((i) => i.number === Number(ref.id))!;
const actionEntries = async (world: World) =>
  (await world.c.entries()).filter((e) => e.kind === 'action').map((e) => e.text);
const posted = (world: World, part: string) =>
  world.c.h.slack
    .callsTo('chat.postMessage')
    .filter((m) => m.args.channel === world.c.channel && String(m.args.text).includes(part))
    .map((m) => String(m.args.text));
const stored = (world: World, source: string) =>
  world.c.h.rows(`select event_id, body, processed_at from inbound_events where source = '${source}'`);
const signGitHub = (raw: string, secret = GH_SECRET) =>
  `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
const issueGets = (world: World) =>
  world.gh.fake.requests.filter((r) => /\/issues\/\d+$/.test(r.path)).length;

describe('GitHub webhooks', () => {
  it('a signed close marks the action done, on the timeline and in the channel; a replay answers 200 and changes nothing', async () => {
    const world = await start();
    const { item, ref } = await linkedAction(world, 'add an alert on pool saturation');
    const issue = ghIssue(world, ref);
    issue.state = 'closed';
    const delivery = world.gh.fake.webhookFor('closed', issue, OCTOCAT);
    expect(await world.gh.fake.sendWebhook(delivery.raw, delivery.headers)).toBe(200);
    await world.c.h.idle();
    expect(await world.c.h.app.store.actions.get(item.id)).toMatchObject({ doneBy: 'muster' });
    expect((await world.c.h.app.store.actions.get(item.id))?.doneAt).not.toBeNull();
    const done = `Action item done: add an alert on pool saturation (${ref.key} closed in GitHub by The Octocat)`;
    expect(await actionEntries(world)).toContain(done);
    expect(posted(world, 'was closed by The Octocat')).toHaveLength(1);

    // the same delivery again (GitHub's "Redeliver")
    expect(await world.gh.fake.sendWebhook(delivery.raw, delivery.headers)).toBe(200);
    await world.c.h.idle();
    expect((await actionEntries(world)).filter((t) => t === done)).toHaveLength(1);
    expect(posted(world, 'was closed by The Octocat')).toHaveLength(1);
    const rows = await stored(world, 'github');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.processed_at).not.toBeNull();
    // the row keeps the body and what the parser reads; not the signature
    const row = JSON.parse(String(rows[0]!.body)) as { headers: Record<string, string>; body: string };
    expect(Object.keys(row.headers).sort()).toEqual(['x-github-delivery', 'x-github-event']);
    expect(row.body).toBe(delivery.raw);
    // the actions list says who marked it done
    const list = JSON.stringify((await world.c.command('actions')).json?.blocks);
    expect(list).toContain('done by Muster');
  });

  it('refuses a wrong or missing signature (401) and a malformed body (400), stores nothing, and keeps serving', async () => {
    const world = await start();
    const { item, ref } = await linkedAction(world, 'rotate the keys');
    const issue = ghIssue(world, ref);
    issue.state = 'closed';
    const { raw, headers } = world.gh.fake.webhookFor('closed', issue, OCTOCAT);
    const wrong = { ...headers, 'x-hub-signature-256': signGitHub(raw, 'someone-elses-secret') };
    expect(await world.gh.fake.sendWebhook(raw, wrong)).toBe(401);
    const { 'x-hub-signature-256': _, ...missing } = headers;
    expect(await world.gh.fake.sendWebhook(raw, missing)).toBe(401);
    expect(await world.gh.fake.sendWebhook(raw, { ...headers, 'x-hub-signature-256': 'sha256=zz' })).toBe(
      401,
    );
    const broken = '{"action": "closed", ';
    expect(await world.gh.fake.sendWebhook(broken, world.gh.fake.signedHeaders('issues', broken))).toBe(400);
    const noIssue = '{"action":"closed","repository":{"full_name":"acme/checkout"}}';
    expect(await world.gh.fake.sendWebhook(noIssue, world.gh.fake.signedHeaders('issues', noIssue))).toBe(
      400,
    );
    expect(await stored(world, 'github')).toEqual([]);
    expect(world.c.h.logs.text).toContain('refused a GitHub webhook with a missing or wrong signature');
    expect(world.c.h.logs.text).toContain('refused a malformed GitHub webhook');
    expect(world.c.h.logs.text).not.toContain(GH_SECRET);
    expect((await world.c.h.get('/healthz')).status).toBe(200);
    expect((await world.c.h.app.store.actions.get(item.id))?.doneAt).toBeNull();
    // and the real delivery still lands
    expect(await world.gh.fake.sendWebhook(raw, headers)).toBe(200);
    await world.c.h.idle();
    expect((await world.c.h.app.store.actions.get(item.id))?.doneAt).not.toBeNull();
  });

  it('answers 200 to a delivery about something else and stores nothing', async () => {
    const world = await start();
    const { ref } = await linkedAction(world, 'write the runbook');
    const ping = '{"zen":"Keep it logically awesome.","hook_id":1}';
    expect(await world.gh.fake.sendWebhook(ping, world.gh.fake.signedHeaders('ping', ping))).toBe(200);
    const labeled = world.gh.fake.webhookFor('labeled', ghIssue(world, ref), OCTOCAT);
    expect(await world.gh.fake.sendWebhook(labeled.raw, labeled.headers)).toBe(200);
    expect(await stored(world, 'github')).toEqual([]);
  });

  it('refuses every delivery while GITHUB_WEBHOOK_SECRET is not set', async () => {
    const world = await start(['GITHUB_WEBHOOK_SECRET']);
    const { ref } = await linkedAction(world, 'add a canary');
    const issue = ghIssue(world, ref);
    const { raw, headers } = world.gh.fake.webhookFor('closed', issue, OCTOCAT);
    expect(await world.gh.fake.sendWebhook(raw, { ...headers, 'x-hub-signature-256': signGitHub(raw) })).toBe(
      403,
    );
    expect(world.c.h.logs.text).toContain(
      'refused a GitHub webhook: GITHUB_WEBHOOK_SECRET is not set, so it cannot be verified',
    );
    expect(await stored(world, 'github')).toEqual([]);
  });

  it('a reopened issue opens its action again', async () => {
    const world = await start();
    const { item, ref } = await linkedAction(world, 'fix the retry storm');
    const issue = ghIssue(world, ref);
    expect(await world.gh.fake.close(issue, OCTOCAT)).toBe(200);
    await world.c.h.idle();
    expect(await world.gh.fake.reopen(issue, CAROL_GH)).toBe(200);
    await world.c.h.idle();
    expect(await world.c.h.app.store.actions.get(item.id)).toMatchObject({ doneAt: null, doneBy: null });
    expect((await actionEntries(world)).slice(-2)).toEqual([
      `Action item done: fix the retry storm (${ref.key} closed in GitHub by The Octocat)`,
      `Action item open again: fix the retry storm (${ref.key} reopened in GitHub by Carol Nguyen)`,
    ]);
    expect(posted(world, 'was reopened by Carol Nguyen: action item open again')).toHaveLength(1);
  });

  it('an issue assigned to someone Slack knows by email gives them the action; someone it does not know leaves the owner', async () => {
    const world = await start();
    const { item, ref } = await linkedAction(world, 'add a dashboard');
    const issue = ghIssue(world, ref);
    expect(await world.gh.fake.assign(issue, OCTOCAT)).toBe(200);
    await world.c.h.idle();
    expect((await world.c.h.app.store.actions.get(item.id))?.ownerId).toBe('U0BOB');
    expect(await world.gh.fake.assign(issue, CAROL_GH)).toBe(200);
    await world.c.h.idle();
    expect((await world.c.h.app.store.actions.get(item.id))?.ownerId).toBe('U0CAROL');
    expect((await actionEntries(world)).slice(-2)).toEqual([
      `Action item owner stays <@U0BOB>: add a dashboard (${ref.key} assigned to The Octocat in GitHub by The Octocat, who has no Slack account with the same email)`,
      `Action item owner now <@U0CAROL>: add a dashboard (${ref.key} assigned to Carol Nguyen in GitHub by Carol Nguyen)`,
    ]);
    expect(posted(world, 'was reassigned by Carol Nguyen: owner <@U0CAROL>')).toHaveLength(1);
    expect(posted(world, 'was reassigned by The Octocat')).toEqual([]);
    expect(world.c.h.slack.callsTo('users.lookupByEmail').map((call) => call.args.email)).toEqual([
      'octocat@example.com',
      'carol@example.com',
    ]);
  });

  it('a delivery about an issue Muster did not create is stored, marked processed, and tells nothing', async () => {
    const world = await start();
    await linkedAction(world, 'tune the pool');
    const stranger = { ...world.gh.fake.issues[0]!, number: 77, state: 'closed' as const };
    const { raw, headers } = world.gh.fake.webhookFor('closed', stranger, OCTOCAT);
    expect(await world.gh.fake.sendWebhook(raw, headers)).toBe(200);
    await world.c.h.idle();
    const rows = await stored(world, 'github');
    expect(rows.map((r) => r.processed_at !== null)).toEqual([true]);
    expect(posted(world, 'was closed')).toEqual([]);
  });
  it('answers 200 once the delivery is stored, and applies it after the answer', async () => {
    const world = await start();
    const { item, ref } = await linkedAction(world, 'add a queue alarm');
    const issue = ghIssue(world, ref);
    issue.state = 'closed';
    const { raw, headers } = world.gh.fake.webhookFor('closed', issue, OCTOCAT);
    const app = world.c.h.app;
    // what the database holds at the instant the route answers is what GitHub can rely on
    const atAnswer: { status: number; stored: unknown[]; done: boolean }[] = [];
    const res = {
      headersSent: false,
      writeHead(status: number) {
        const db = new Database(world.c.h.dbFile, { readonly: true });
        try {
          atAnswer.push({
            status,
            stored: db
              .prepare("select event_id, processed_at from inbound_events where source = 'github'")
              .all(),
            done:
              (
                db.prepare('select done_at from action_items where id = ?').get(item.id) as {
                  done_at: unknown;
                }
              ).done_at !== null,
          });
        } finally {
          db.close();
        }
        return this;
      },
      setHeader() {},
      end() {
        return this;
      },
    };
    const route = trackerWebhookRoute(app.deps, app.instanceId, {
      webhook: new GitHubWebhook(),
      secret: GH_SECRET,
      secretVariable: 'GITHUB_WEBHOOK_SECRET',
      headers: ['x-github-event', 'x-github-delivery'],
    });
    await route({
      req: { headers } as unknown as IncomingMessage,
      res: res as unknown as ServerResponse,
      body: Buffer.from(raw),
      requestId: 'req-1',
      log: app.log,
    });
    expect(atAnswer).toEqual([
      { status: 200, stored: [{ event_id: headers['x-github-delivery'], processed_at: null }], done: false },
    ]);
    await world.c.h.idle();
    expect((await app.store.actions.get(item.id))?.doneAt).not.toBeNull();
  });

  it('a delivery stored by an instance that stopped before applying it is applied by the sweep', async () => {
    const world = await start();
    const { item, ref } = await linkedAction(world, 'add a slow-query log');
    // closed in the delivery only: the poll, which runs at each tick too, finds it open
    const closed = { ...ghIssue(world, ref), state: 'closed' as const };
    const { raw, headers } = world.gh.fake.webhookFor('closed', closed, OCTOCAT);
    const now = world.c.h.clock.now();
    await world.c.h.app.store.inbound.record(
      'github',
      headers['x-github-delivery']!,
      storedTrackerDelivery(headers, ['x-github-event', 'x-github-delivery'], raw),
      now,
      { owner: 'instance-that-died', until: now + 20_000 },
    );
    await world.c.h.app.tick();
    expect((await world.c.h.app.store.actions.get(item.id))?.doneAt).toBeNull();
    world.c.h.clock.advance(20_001);
    await world.c.h.app.tick();
    expect((await world.c.h.app.store.actions.get(item.id))?.doneAt).not.toBeNull();
    expect(posted(world, 'was closed by The Octocat')).toHaveLength(1);
  });
});

describe('Linear webhooks', () => {
  /** A Linear delivery closing `issueId`, signed with `secret`, sent `ageMs` after its timestamp. */
  const closing = (world: World, issueId: string, ageMs = 0) => {
    const issue = world.linear.fake.issues.find((i) => i.id === issueId)!;
    return JSON.stringify({
      action: 'update',
      type: 'Issue',
      actor: { id: 'user-carol', name: 'Carol Nguyen' },
      webhookId: 'webhook-1',
      webhookTimestamp: world.c.h.clock.now() - ageMs,
      data: {
        id: issue.id,
        identifier: issue.identifier,
        url: issue.url,
        state: { type: 'completed' },
        updatedAt: new Date(world.c.h.clock.now()).toISOString(),
      },
      updatedFrom: { stateId: 'state-unstarted' },
    });
  };
  const hmac = (raw: string, secret = LINEAR_SECRET) =>
    createHmac('sha256', secret).update(raw).digest('hex');

  it('a signed update closing the issue marks the action done; a replayed delivery id changes nothing', async () => {
    const world = await start();
    const { item, ref } = await linkedAction(world, 'add a load test', 'linear');
    const raw = closing(world, ref.id);
    expect(await world.linear.fake.sendWebhook(raw, { deliveryId: 'L-1' })).toBe(200);
    expect(await world.linear.fake.sendWebhook(raw, { deliveryId: 'L-1' })).toBe(200);
    await world.c.h.idle();
    expect((await world.c.h.app.store.actions.get(item.id))?.doneAt).not.toBeNull();
    expect(
      (await actionEntries(world)).filter((t) => t.startsWith('Action item done: add a load test')),
    ).toEqual([`Action item done: add a load test (${ref.key} closed in Linear by Carol Nguyen)`]);
    expect(posted(world, 'was closed by Carol Nguyen')).toHaveLength(1);
  });

  it('refuses a wrong or missing signature and a delivery over a minute old or ahead (401), and a malformed body (400)', async () => {
    const world = await start();
    const { item, ref } = await linkedAction(world, 'page on disk', 'linear');
    const fresh = closing(world, ref.id);
    expect(await world.linear.fake.sendWebhook(fresh, { signature: hmac(fresh, 'other') })).toBe(401);
    expect(await world.linear.fake.sendWebhook(fresh, { signature: null })).toBe(401);
    const stale = closing(world, ref.id, 2 * 60_000);
    expect(await world.linear.fake.sendWebhook(stale, { signature: hmac(stale) })).toBe(401);
    const ahead = closing(world, ref.id, -2 * 60_000);
    expect(await world.linear.fake.sendWebhook(ahead, { signature: hmac(ahead) })).toBe(401);
    const noData = JSON.stringify({
      action: 'update',
      type: 'Issue',
      webhookTimestamp: world.c.h.clock.now(),
      data: {},
      updatedFrom: { stateId: 'x' },
    });
    expect(await world.linear.fake.sendWebhook(noData)).toBe(400);
    expect(await stored(world, 'linear')).toEqual([]);
    expect((await world.c.h.app.store.actions.get(item.id))?.doneAt).toBeNull();
    // 59 seconds old is inside the window
    const late = closing(world, ref.id, 59_000);
    expect(await world.linear.fake.sendWebhook(late, { signature: hmac(late) })).toBe(200);
    await world.c.h.idle();
    expect((await world.c.h.app.store.actions.get(item.id))?.doneAt).not.toBeNull();
  });

  it('refuses every delivery while LINEAR_WEBHOOK_SECRET is not set', async () => {
    const world = await start(['LINEAR_WEBHOOK_SECRET']);
    const { ref } = await linkedAction(world, 'add an index', 'linear');
    const raw = closing(world, ref.id);
    expect(await world.linear.fake.sendWebhook(raw, { signature: hmac(raw) })).toBe(403);
    expect(world.c.h.logs.text).toContain('LINEAR_WEBHOOK_SECRET is not set');
  });

  it('an issue assigned in Linear to someone Slack knows by email gives them the action', async () => {
    const world = await start();
    const { item, ref } = await linkedAction(world, 'split the queue', 'linear');
    const issue = world.linear.fake.issues.find((i) => i.id === ref.id)!;
    expect(await world.linear.fake.assign(issue, world.linear.fake.users[0]!)).toBe(200);
    await world.c.h.idle();
    expect((await world.c.h.app.store.actions.get(item.id))?.ownerId).toBe('U0CAROL');
  });
});

describe('the polling fallback', () => {
  it('finds an issue closed without a webhook once 15 minutes have passed since its last check', async () => {
    const world = await start();
    const { item, ref } = await linkedAction(world, 'add an alert on lag');
    world.gh.fake.webhookUrl = undefined;
    await world.c.h.app.tick();
    expect(issueGets(world)).toBe(1);
    expect((await world.c.h.app.store.followUps.get(item.id))?.checkedAt).toBe(world.c.h.clock.now());
    await world.gh.fake.close(ghIssue(world, ref), OCTOCAT);
    world.c.h.clock.advanceMinutes(14);
    await world.c.h.app.tick();
    expect(issueGets(world)).toBe(1);
    expect((await world.c.h.app.store.actions.get(item.id))?.doneAt).toBeNull();
    world.c.h.clock.advanceMinutes(1);
    await world.c.h.app.tick();
    expect(issueGets(world)).toBe(2);
    expect(await world.c.h.app.store.actions.get(item.id)).toMatchObject({
      doneAt: world.c.h.clock.now(),
      doneBy: 'muster',
    });
    expect(await actionEntries(world)).toContain(
      `Action item done: add an alert on lag (${ref.key} closed in GitHub)`,
    );
    expect(
      posted(world, `${ref.key}`).filter((t) => t.includes('was closed: action item done')),
    ).toHaveLength(1);
    // done: the poll no longer asks about it
    world.c.h.clock.advanceMinutes(30);
    await world.c.h.app.tick();
    expect(issueGets(world)).toBe(2);
  });

  it('a webhook and the poll reporting the same close record it once', async () => {
    const world = await start();
    const { ref } = await linkedAction(world, 'cap the retries');
    await world.gh.fake.close(ghIssue(world, ref), OCTOCAT);
    await world.c.h.idle();
    world.c.h.clock.advanceMinutes(15);
    await world.c.h.app.tick();
    expect(
      (await actionEntries(world)).filter((t) => t.startsWith('Action item done: cap the retries')),
    ).toHaveLength(1);
  });

  it('leaves a rate-limited tracker alone until its Retry-After has passed', async () => {
    const world = await start();
    const { item, ref } = await linkedAction(world, 'shard the table');
    world.gh.fake.webhookUrl = undefined;
    await world.gh.fake.close(ghIssue(world, ref), OCTOCAT);
    world.gh.fake.failNext(ISSUE_ROUTE, 429, 1, { retryAfter: 1800 });
    await world.c.h.app.tick();
    expect(issueGets(world)).toBe(1);
    expect(world.c.h.logs.text).toContain('tracker rate limit');
    for (const minutes of [1, 15, 13]) {
      world.c.h.clock.advanceMinutes(minutes);
      await world.c.h.app.tick();
      expect(issueGets(world)).toBe(1);
    }
    expect((await world.c.h.app.store.actions.get(item.id))?.doneAt).toBeNull();
    world.c.h.clock.advanceMinutes(1);
    await world.c.h.app.tick();
    expect(issueGets(world)).toBe(2);
    expect((await world.c.h.app.store.actions.get(item.id))?.doneAt).not.toBeNull();
  });

  it('survives a 503 and syncs at the next run', async () => {
    const world = await start();
    const { item, ref } = await linkedAction(world, 'add a circuit breaker');
    world.gh.fake.webhookUrl = undefined;
    await world.gh.fake.close(ghIssue(world, ref), OCTOCAT);
    world.gh.fake.failNext(ISSUE_ROUTE, 503);
    await world.c.h.app.tick();
    expect((await world.c.h.app.store.actions.get(item.id))?.doneAt).toBeNull();
    expect(world.c.h.logs.text).toContain('could not poll the issue; asking again at the next run');
    expect(world.c.h.logs.text).not.toContain('periodic job failed');
    await world.c.h.app.tick();
    expect(issueGets(world)).toBe(2);
    expect((await world.c.h.app.store.actions.get(item.id))?.doneAt).not.toBeNull();
  });

  it('polls Linear too', async () => {
    const world = await start();
    const { item, ref } = await linkedAction(world, 'drain the queue', 'linear');
    const issue = world.linear.fake.issues.find((i) => i.id === ref.id)!;
    await world.linear.fake.close(issue, false);
    await world.c.h.app.tick();
    expect((await world.c.h.app.store.actions.get(item.id))?.doneAt).not.toBeNull();
    expect(await actionEntries(world)).toContain(
      `Action item done: drain the queue (${ref.key} closed in Linear)`,
    );
  });

  it('skips the issues of a tracker Muster has no credentials for, and polls the others', async () => {
    const world = await start(['LINEAR_API_KEY']);
    const orphan = {
      tracker: 'linear' as const,
      id: 'lin-1',
      key: 'ENG-1',
      url: 'https://linear.app/x/ENG-1',
    };
    const { item: skipped } = await linkedAction(world, 'old linear item', 'linear', orphan);
    const { item, ref } = await linkedAction(world, 'add a retry budget');
    world.gh.fake.webhookUrl = undefined;
    await world.gh.fake.close(ghIssue(world, ref), OCTOCAT);
    await world.c.h.app.tick();
    expect((await world.c.h.app.store.actions.get(item.id))?.doneAt).not.toBeNull();
    expect((await world.c.h.app.store.actions.get(skipped.id))?.doneAt).toBeNull();
    expect(world.linear.fake.requests).toEqual([]);
  });
});
