/**
 * Action items become issues in the team's tracker (here a fake GitHub on 127.0.0.1): created exactly once
 * through an outage, a lost answer and kill -9, with the owner mapped by email, the link shown in Slack, in
 * `actions` and in the postmortem; refusals told once with a Retry button.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { exportPostmortem } from '../../src/compose-export.js';
import { type RunningFakeGitHub, startFakeGitHub } from '../fakes/fake-github.js';
import { startFakeJira } from '../fakes/fake-jira.js';
import { startFakeLinear } from '../fakes/fake-linear.js';
import { type IncidentChannel, openIncident } from '../support/incident-channel.js';
import { startMusterProcess } from '../support/muster-process.js';
import { startMuster } from '../support/muster-harness.js';
import { removeTempDirs, tempDir } from '../support/temp-dir.js';

const CREATE = 'POST /repos/{owner}/{repo}/issues';

let c: IncidentChannel | null = null;
let gh: RunningFakeGitHub | null = null;
afterEach(async () => {
  await c?.h.stop();
  await gh?.close();
  c = null;
  gh = null;
});
afterAll(() => removeTempDirs());

/** A catalog whose follow-ups go to `repo` (top-level default), or to `tracker` when given. */
function catalogFile(followUps = 'github: acme/checkout'): string {
  const path = join(tempDir(), 'catalog.yaml');
  writeFileSync(path, `follow_ups:\n  ${followUps}\nservices:\n  - name: search\n    owner: Discovery\n`);
  return path;
}

async function start(
  opts: { at?: number; followUps?: string; env?: Record<string, string> } = {},
): Promise<{ c: IncidentChannel; gh: RunningFakeGitHub }> {
  gh = await startFakeGitHub({
    users: [{ login: 'bobm', name: 'Bob Martinez', email: 'bob@example.com' }],
  });
  c = await openIncident({
    ...(opts.at !== undefined ? { at: opts.at } : {}),
    env: {
      GITHUB_TOKEN: gh.token,
      GITHUB_API_URL: gh.apiUrl,
      CATALOG_PATH: catalogFile(opts.followUps),
      ...opts.env,
    },
    // no jitter: a retry is due after the backoff's floor, so the clock says when
    overrides: { random: () => 0 },
  });
  return { c, gh };
}

const posted = (c: IncidentChannel, part: string) =>
  c.h.slack.callsTo('chat.postMessage').filter((m) => String(m.args.text).includes(part));

const creates = (gh: RunningFakeGitHub) =>
  gh.fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/issues'));

const press = (c: IncidentChannel, actionId: string, value: number, user = 'U0BOB') => ({
  type: 'block_actions',
  user: { id: user, username: 'bob', name: 'bob', team_id: 'T0MUSTER' },
  api_app_id: 'A0MUSTER',
  token: 'legacy-verification-token',
  container: { type: 'message', message_ts: '1.000100', channel_id: c.channel, is_ephemeral: true },
  trigger_id: c.h.slack.workspace.mintTriggerId(user),
  team: { id: 'T0MUSTER', domain: 'muster-sandbox' },
  channel: { id: c.channel, name: c.incident.channelName },
  response_url: c.h.slack.responseUrl(),
  actions: [
    {
      action_id: actionId,
      block_id: `x:${value}`,
      value: String(value),
      type: 'button',
      action_ts: '1.000200',
    },
  ],
});

describe('follow-up issues', () => {
  it('creates the issue once, with owner, priority, due date and a link back, and shows its link', async () => {
    const { c, gh } = await start();
    await c.command('action add an alert on pool saturation & <b>lag</b> <@U0BOB> p1 due 2026-12-01');
    await c.h.idle();
    expect(gh.fake.issues).toHaveLength(1);
    const issue = gh.fake.issues[0]!;
    expect(issue.title).toBe('add an alert on pool saturation & <b>lag</b>');
    expect(issue.assignees).toEqual(['bobm']);
    expect(issue.labels).toEqual(expect.arrayContaining(['P1']));
    expect(issue.body).toContain('INC-1: Checkout returns 500s (SEV-2)');
    expect(issue.body).toContain(`https://slack.com/app_redirect?channel=${c.channel}&team=T0MUSTER`);
    expect(issue.body).toContain('Due: 2026-12-01');
    expect(issue.body).toContain('\\<b>lag\\</b>');
    expect(issue.body).toContain('muster-T0MUSTER-action-1');

    const url = `https://github.com/acme/checkout/issues/${issue.number}`;
    expect(posted(c, 'Its issue is on its way to GitHub')).toHaveLength(1);
    const told = posted(c, ':ticket:');
    expect(told).toHaveLength(1);
    expect(String(told[0]!.args.text)).toContain(`<${url}|acme/checkout#${issue.number}>`);

    const list = JSON.stringify((await c.command('actions')).json?.blocks);
    expect(list).toContain(`<${url}|acme/checkout#${issue.number}>`);
    expect(list).not.toContain('follow_up.create');

    // later runs create nothing more
    c.h.clock.advanceMinutes(30);
    await c.h.app.tick();
    expect(creates(gh)).toHaveLength(1);
    const { markdown } = await exportPostmortem(c.h.app.config, 'INC-1', c.h.clock.now());
    expect(markdown).toContain(`([acme/checkout#${issue.number}](${url}))`);
  });

  it('leaves the issue unassigned when the owner has no account the tracker knows', async () => {
    const { c, gh } = await start();
    await c.command('action rotate the keys <@U0CAROL> p2');
    await c.h.idle();
    expect(gh.fake.issues[0]!.assignees).toEqual([]);
    expect(gh.fake.issues[0]!.body).toContain('Owner: Carol');
  });

  it('retries through a GitHub outage with backoff and creates the issue once', async () => {
    const { c, gh } = await start();
    gh.fake.down(503);
    await c.command('action add a canary stage p2');
    await c.h.idle();
    expect(gh.fake.issues).toHaveLength(0);
    const row = (await c.h.app.deps.store.followUps.get(1))!;
    expect(row, JSON.stringify(row)).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.lastError).toMatch(/503|GitHub/);
    expect(posted(c, 'did not create the issue')).toHaveLength(0);
    // still down: tried again when due, and put off further
    c.h.clock.advanceMinutes(1);
    await c.h.app.tick();
    expect((await c.h.app.deps.store.followUps.get(1))!.attempts).toBe(2);
    gh.fake.up();
    c.h.clock.advanceMinutes(20);
    await c.h.app.tick();
    expect(gh.fake.issues).toHaveLength(1);
    expect((await c.h.app.deps.store.followUps.get(1))!.status).toBe('created');
    expect(posted(c, ':ticket:')).toHaveLength(1);
    const metrics = await c.h.metrics();
    expect(metrics).toMatch(/^muster_follow_up_issues_total\{tracker="github",outcome="retry"\} 2$/m);
    expect(metrics).toMatch(/^muster_follow_up_issues_total\{tracker="github",outcome="created"\} 1$/m);
  });

  it('finds the issue of an attempt whose answer was lost instead of creating a second', async () => {
    const { c, gh } = await start();
    gh.fake.loseAnswer(CREATE, 'cut');
    await c.command('action add a canary stage p2');
    await c.h.idle();
    expect(gh.fake.issues).toHaveLength(1);
    expect((await c.h.app.deps.store.followUps.get(1))!.status).toBe('pending');
    c.h.clock.advanceMinutes(5);
    await c.h.app.tick();
    expect(gh.fake.issues).toHaveLength(1);
    expect(creates(gh)).toHaveLength(1);
    expect((await c.h.app.deps.store.followUps.get(1))!.issue?.id).toBe(String(gh.fake.issues[0]!.number));
    expect(posted(c, ':ticket:')).toHaveLength(1);
  });

  it('creates the issue exactly once across kill -9 while GitHub holds the answer', async () => {
    // a minute behind the wall clock, so the retry it stores is due for the process (which runs on the wall clock)
    const { c: first, gh } = await start({ at: Date.now() - 60_000 });
    gh.fake.down(503);
    await first.command('action add a canary stage p2');
    await first.h.idle();
    await first.h.app.stop();
    // the process creates the issue but dies before it hears so
    gh.fake.up();
    gh.fake.loseAnswer(CREATE, 'hold');
    const proc = await startMusterProcess({ ...first.h.env, LOG_LEVEL: 'silent' }, first.h.dir);
    while (gh.fake.issues.length === 0) await new Promise((r) => setTimeout(r, 20));
    proc.child.kill('SIGKILL');
    await proc.exited;
    gh.fake.up();
    const before = creates(gh).length;
    // past the dead process's lease
    first.h.clock.set(Date.now() + 5 * 60_000);
    const h = await startMuster({
      env: first.h.env,
      slack: first.h.slack,
      clock: first.h.clock,
      dir: first.h.dir,
    });
    c = { ...first, h };
    await h.app.tick();
    expect(gh.fake.issues).toHaveLength(1);
    expect(creates(gh)).toHaveLength(before);
    expect((await h.app.deps.store.followUps.get(1))!.status).toBe('created');
  });

  it('tells a refusal once with a Retry button; Retry creates the issue', async () => {
    const { c, gh } = await start({ followUps: 'github: acme/payments' });
    await c.command('action add a canary stage p2');
    await c.h.idle();
    expect(creates(gh)).toHaveLength(1);
    const told = posted(c, 'did not create the issue');
    expect(told).toHaveLength(1);
    expect(JSON.stringify(told[0]!.args.blocks)).toContain('"action_id":"follow_up.retry"');
    expect((await c.h.app.deps.store.followUps.get(1))!.status).toBe('failed');
    expect(await c.h.app.deps.store.actions.get(1)).not.toBeNull();
    c.h.clock.advanceMinutes(30);
    await c.h.app.tick();
    expect(creates(gh)).toHaveLength(1);
    expect(posted(c, 'did not create the issue')).toHaveLength(1);
    expect(JSON.stringify((await c.command('actions')).json?.blocks)).toContain('Retry issue');

    gh.fake.repos.add('acme/payments');
    expect((await c.h.interact(press(c, 'follow_up.retry', 1))).status).toBe(200);
    await c.h.idle();
    expect(String((c.h.slack.responses.at(-1)!.body as { text: string }).text)).toContain(
      'Creating the issue',
    );
    await c.h.app.tick();
    expect(gh.fake.issues).toHaveLength(1);
    expect(posted(c, ':ticket:')).toHaveLength(1);
  });

  it('says so when the tracker has no credentials, and when none is named', async () => {
    const { c } = await start({ followUps: 'linear: { team: ENG }' });
    await c.command('action add a canary stage p2');
    await c.h.idle();
    const told = posted(c, 'did not create the issue');
    expect(told).toHaveLength(1);
    expect(String(told[0]!.args.text)).toContain('set LINEAR_API_KEY');

    writeFileSync(c.h.app.config.CATALOG_PATH, 'services:\n  - name: search\n    owner: Discovery\n');
    c.h.app.catalog.load();
    await c.command('action write the runbook p3');
    await c.h.idle();
    expect(await c.h.app.deps.store.followUps.get(2)).toBeNull();
    expect(JSON.stringify((await c.command('actions')).json?.blocks)).not.toContain('Create issue');
    expect((await c.h.interact(press(c, 'follow_up.create', 2))).status).toBe(200);
    await c.h.idle();
    expect(String((c.h.slack.responses.at(-1)!.body as { text: string }).text)).toContain(
      'No tracker takes the follow-ups of INC-1',
    );
  });

  it('creates the issue of an item recorded before the tracker was named, from its button', async () => {
    const { c, gh } = await start();
    writeFileSync(c.h.app.config.CATALOG_PATH, 'services:\n  - name: search\n    owner: Discovery\n');
    c.h.app.catalog.load();
    await c.command('action write the runbook p3');
    await c.h.idle();
    expect(gh.fake.issues).toHaveLength(0);
    writeFileSync(c.h.app.config.CATALOG_PATH, 'follow_ups:\n  github: acme/checkout\nservices: []\n');
    c.h.app.catalog.load();
    const list = JSON.stringify((await c.command('actions')).json?.blocks);
    expect(list).toContain('"action_id":"follow_up.create"');
    expect((await c.h.interact(press(c, 'follow_up.create', 1))).status).toBe(200);
    await c.h.idle();
    await c.h.app.tick();
    expect(gh.fake.issues).toHaveLength(1);
    // a second press says it exists
    expect((await c.h.interact(press(c, 'follow_up.create', 1))).status).toBe(200);
    await c.h.idle();
    expect(String((c.h.slack.responses.at(-1)!.body as { text: string }).text)).toContain(
      'has its issue already',
    );
  });
});

describe('follow-up issues in Jira and Linear', () => {
  it('creates a Jira issue with the owner mapped to their account, once', async () => {
    const jira = await startFakeJira({
      users: [
        {
          accountId: 'acc-bob',
          displayName: 'Bob Martinez',
          email: 'bob@example.com',
          emailVisible: true,
          active: true,
          accountType: 'atlassian',
        },
      ],
    });
    try {
      c = await openIncident({
        env: {
          JIRA_BASE_URL: jira.baseUrl,
          JIRA_EMAIL: jira.email,
          JIRA_API_TOKEN: jira.apiToken,
          CATALOG_PATH: catalogFile('jira: { project: OPS }'),
        },
        overrides: { random: () => 0 },
      });
      await c.command('action add a canary stage <@U0BOB> p0 due 2026-12-01');
      await c.h.idle();
      expect(jira.fake.issues).toHaveLength(1);
      const issue = jira.fake.issues[0]!;
      expect(issue).toMatchObject({
        project: 'OPS',
        issueType: 'Task',
        assignee: 'acc-bob',
        duedate: '2026-12-01',
      });
      expect(issue.labels).toEqual(expect.arrayContaining(['muster', 'muster-T0MUSTER-action-1', 'p0']));
      expect(String(posted(c, ':ticket:')[0]!.args.text)).toContain(`${issue.key}>`);
      c.h.clock.advanceMinutes(30);
      await c.h.app.tick();
      expect(jira.fake.issues).toHaveLength(1);
    } finally {
      await jira.close();
    }
  });

  it('creates a Linear issue with its priority and the owner mapped, once', async () => {
    const linear = await startFakeLinear({
      users: [{ id: 'lin-bob', name: 'Bob Martinez', email: 'bob@example.com' }],
    });
    try {
      c = await openIncident({
        env: {
          LINEAR_API_KEY: linear.apiKey,
          LINEAR_API_URL: linear.apiUrl,
          CATALOG_PATH: catalogFile('linear: { team: ENG }'),
        },
        overrides: { random: () => 0 },
      });
      await c.command('action add a canary stage <@U0BOB> p1');
      await c.h.idle();
      expect(linear.fake.issues).toHaveLength(1);
      expect(linear.fake.issues[0]).toMatchObject({
        assigneeId: 'lin-bob',
        priority: 2,
        teamId: 'team-eng-uuid',
      });
      expect(String(posted(c, ':ticket:')[0]!.args.text)).toContain(`${linear.fake.issues[0]!.identifier}>`);
    } finally {
      await linear.close();
    }
  });
});
