/**
 * The sandbox's GitHub: an action item recorded in a sandbox incident becomes an issue in the built-in fake
 * GitHub (the demo catalog's `follow_ups`), assigned to the owner's account found by email; the page lists it
 * with its incident; a person closes it from the page, the fake sends Muster GitHub's signed webhook, and the
 * action item is done. The close route takes only the page's JSON, like every sandbox POST.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GITHUB_BASE_PATH, type Sandbox } from '../../src/index.js';
import { INCIDENTS_CHANNEL_ID } from '../../src/slack-workspace-seed.js';
import { sandboxConfigFrom, startTestSandbox, type TestSandbox } from '../support/sandbox-harness.js';
import { removeTempDirs } from '../../../../test/support/temp-dir.js';

const ALICE = 'U0ALICE';
const BOB = 'U0BOB';
const MB = 1024 * 1024;
const PAGE_HEADERS = { 'content-type': 'application/json', 'x-muster-sandbox': '1' };

let t: TestSandbox;
let s: Sandbox;

/** One request over node:http (streams `bytes` of body when given, so nothing is held whole). */
function send(
  path: string,
  sent: { method?: string; headers?: Record<string, string>; body?: string; bytes?: number } = {},
): Promise<{ status: number; json: Record<string, unknown> | null }> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port: s.port, path, method: sent.method ?? 'GET', headers: sent.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> | null = null;
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('error', () => resolve({ status: -1, json: null }));
    if (sent.bytes === undefined) return void req.end(sent.body);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let written = 0;
    const pump = () => {
      while (written < (sent.bytes ?? 0)) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

const issueAct = (body: Record<string, unknown>) =>
  send('/sandbox/issue', { method: 'POST', headers: PAGE_HEADERS, body: JSON.stringify(body) });

async function pageIssues(): Promise<Record<string, unknown>[]> {
  const res = await fetch(`${t.base}/sandbox/state?user=${ALICE}`);
  return ((await res.json()) as { issues: Record<string, unknown>[] }).issues;
}

let channelId: string;

beforeAll(async () => {
  t = await startTestSandbox();
  s = t.sandbox;
  expect(
    await s.people.type(ALICE, INCIDENTS_CHANNEL_ID, '/incident declare sev2 Checkout returns 502'),
  ).toEqual({ ok: true });
  await s.idle();
  const incident = (await s.app.deps.store.incidents.all()).at(-1);
  channelId = incident?.channelId ?? '';
  expect(channelId).not.toBe('');
});

afterAll(async () => {
  await s.stop();
  removeTempDirs();
});

describe("the sandbox's GitHub", () => {
  it("points the app's GitHub at the fake with this run's token and webhook secret, and no other tracker", () => {
    const real = {
      GITHUB_TOKEN: 'ghp_a_real_token',
      GITHUB_API_URL: 'https://github.example.com/api/v3',
      GITHUB_WEBHOOK_SECRET: 'a-real-github-secret',
      JIRA_BASE_URL: 'https://acme.atlassian.net',
      JIRA_EMAIL: 'me@acme.example',
      JIRA_API_TOKEN: 'a-real-jira-token',
      JIRA_WEBHOOK_SECRET: 'a-real-jira-secret',
      LINEAR_API_KEY: 'lin_api_a_real_key',
      LINEAR_WEBHOOK_SECRET: 'a-real-linear-secret',
    };
    const config = sandboxConfigFrom(real);
    expect(config).toMatchObject({
      GITHUB_TOKEN: 'ghp_sandbox_1',
      GITHUB_API_URL: 'http://127.0.0.1:3000/sandbox/github',
      GITHUB_WEBHOOK_SECRET: 'github-sandbox-secret',
    });
    for (const name of [
      'JIRA_BASE_URL',
      'JIRA_EMAIL',
      'JIRA_API_TOKEN',
      'JIRA_WEBHOOK_SECRET',
      'LINEAR_API_KEY',
      'LINEAR_WEBHOOK_SECRET',
    ] as const) {
      expect({ name, value: config[name] }).toEqual({ name, value: undefined });
    }
    expect(JSON.stringify(config)).not.toMatch(/a-real|a_real|acme\.atlassian/);
    // the running sandbox: its own path on its own server, a token and secret made for this run
    expect(s.app.config.GITHUB_API_URL).toBe(`${t.base}${GITHUB_BASE_PATH}`);
    expect(s.app.config.GITHUB_TOKEN).toBe(s.github.token);
    expect(s.github.token).toMatch(/^ghp_sandbox_[0-9a-f]{36}$/);
    expect(s.app.config.GITHUB_WEBHOOK_SECRET).toMatch(/^[0-9a-f]{40}$/);
    expect(s.github.webhookSecret).toBe(s.app.config.GITHUB_WEBHOOK_SECRET);
    expect(s.github.webhookUrl).toBe(`${t.base}/webhooks/github`);
  });

  it('files a recorded action item as an issue assigned to the owner, found by email', async () => {
    const typed = await s.people.type(
      BOB,
      channelId,
      '/incident action Add a canary stage to checkout deploys @bob p1',
    );
    expect(typed).toEqual({ ok: true });
    await s.idle();
    expect(s.github.issues).toHaveLength(1);
    const issue = s.github.issues[0]!;
    expect(issue).toMatchObject({
      repo: 'acme/storefront',
      number: 1,
      title: 'Add a canary stage to checkout deploys',
      state: 'open',
      // Bob's GitHub login is not his Slack name: the two are matched by bob@example.com
      assignees: ['bobmartinez'],
    });
    // the app reached the fake under the sandbox's path, with this run's token
    const create = s.github.requests.find((r) => r.method === 'POST' && r.path.endsWith('/issues'));
    expect(create?.status).toBe(201);
    expect(create?.headers['authorization']).toMatch(/ghp_sandbox_[0-9a-f]+$/);
    // the channel is told, with a link that opens the sandbox page
    const told = s.workspace.messages(channelId).find((m) => m.text.includes(':ticket:'));
    expect(told?.text).toContain(`<${t.base}/sandbox/issues/acme/storefront/issues/1|acme/storefront#1>`);
  });

  it('lists the issue on the page with its state, assignee and incident', async () => {
    expect(await pageIssues()).toEqual([
      {
        repo: 'acme/storefront',
        number: 1,
        key: 'acme/storefront#1',
        title: 'Add a canary stage to checkout deploys',
        state: 'open',
        assignee: { login: 'bobmartinez', name: 'Bob Martinez' },
        url: `${t.base}/sandbox/issues/acme/storefront/issues/1`,
        incident: { number: 1, ref: 'INC-1', channelId },
        actionDone: false,
      },
    ]);
    // the issue's link opens the page
    const page = await fetch(`${t.base}/sandbox/issues/acme/storefront/issues/1`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Muster sandbox');
  });

  it('serves the GitHub API only under its path, with its token', async () => {
    const noToken = await send(`${GITHUB_BASE_PATH}/repos/acme/storefront/issues/1`);
    expect(noToken.status).toBe(401);
    const withToken = await send(`${GITHUB_BASE_PATH}/repos/acme/storefront/issues/1`, {
      headers: { authorization: `Bearer ${s.github.token}` },
    });
    expect(withToken).toMatchObject({ status: 200, json: { number: 1, state: 'open' } });
    expect((await send('/repos/acme/storefront/issues/1')).status).toBe(404);
  });

  it('answers only requests addressed to this machine, like every sandbox route (DNS rebinding fails)', async () => {
    const headers = { host: 'evil.example', authorization: `Bearer ${s.github.token}`, ...PAGE_HEADERS };
    const close = JSON.stringify({ act: 'close', user: ALICE, repo: 'acme/storefront', number: 1 });
    for (const [method, path, body] of [
      ['GET', `${GITHUB_BASE_PATH}/repos/acme/storefront/issues/1`, undefined],
      ['POST', '/sandbox/issue', close],
      ['GET', '/sandbox/issues/acme/storefront/issues/1', undefined],
    ] as const) {
      const got = await send(path, { method, headers, ...(body ? { body } : {}) });
      expect({ path, got }).toMatchObject({
        path,
        got: { status: 421, json: { error: 'misdirected_request' } },
      });
    }
    expect(s.github.issues.map((i) => i.state)).toEqual(['open']);
  });
});

describe('the close route', () => {
  it('refuses a form post, JSON without the header, and bodies over 1 MB', async () => {
    const form = await send('/sandbox/issue', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'act=close&user=U0ALICE&repo=acme%2Fstorefront&number=1',
    });
    expect(form.status).toBe(415);
    const noHeader = await send('/sandbox/issue', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ act: 'close', user: ALICE, repo: 'acme/storefront', number: 1 }),
    });
    expect(noHeader.status).toBe(403);
    for (const declared of [true, false]) {
      const headers = { ...PAGE_HEADERS, ...(declared ? { 'content-length': String(3 * MB) } : {}) };
      const big = await send('/sandbox/issue', { method: 'POST', headers, bytes: 3 * MB });
      expect({ declared, status: big.status }).toEqual({ declared, status: 413 });
    }
    const bigApi = await send(`${GITHUB_BASE_PATH}/repos/acme/storefront/issues`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.github.token}` },
      bytes: 3 * MB,
    });
    expect(bigApi.status).toBe(413);
    expect(s.github.issues.map((i) => i.state)).toEqual(['open']);
    expect(s.github.deliveries).toEqual([]);
  });

  it('answers 404 for an unknown issue, 400 for a bad one or an unknown person', async () => {
    for (const [repo, number] of [
      ['acme/storefront', 2],
      ['acme/elsewhere', 1],
    ] as const) {
      const got = await issueAct({ act: 'close', user: ALICE, repo, number });
      expect({ repo, number, got }).toEqual({
        repo,
        number,
        got: { status: 404, json: { ok: false, error: 'issue_not_found' } },
      });
    }
    for (const bad of [
      { act: 'delete', user: ALICE, repo: 'acme/storefront', number: 1 },
      { act: 'close', user: ALICE, repo: 'acme/storefront', number: '1' },
      { act: 'close', user: ALICE, repo: 'acme/storefront', number: -1 },
      { act: 'close', repo: 'acme/storefront', number: 1 },
    ]) {
      expect({ bad, status: (await issueAct(bad)).status }).toEqual({ bad, status: 400 });
    }
    const stranger = await issueAct({ act: 'close', user: 'U0NOBODY', repo: 'acme/storefront', number: 1 });
    expect(stranger).toEqual({ status: 400, json: { ok: false, error: 'user_not_found' } });
    expect((await issueAct({ act: 'reopen', user: ALICE, repo: 'acme/storefront', number: 1 })).json).toEqual(
      {
        ok: false,
        error: 'already_open',
      },
    );
    expect(s.github.deliveries).toEqual([]);
  });
});

describe('closing an issue in the page', () => {
  it('sends Muster the signed webhook, and the action item is done, said with who closed it', async () => {
    const closed = await issueAct({ act: 'close', user: BOB, repo: 'acme/storefront', number: 1 });
    expect(closed).toMatchObject({
      status: 200,
      json: { ok: true, webhookStatus: 200, issue: { key: 'acme/storefront#1', state: 'closed' } },
    });
    await s.idle();
    expect(s.github.deliveries).toEqual([
      { event: 'issues', action: 'closed', deliveryId: expect.any(String), status: 200 },
    ]);
    const [item] = await s.app.deps.store.actions.list(1);
    expect(item?.text).toBe('Add a canary stage to checkout deploys');
    expect(item?.doneAt).not.toBeNull();
    const told = s.workspace.messages(channelId).filter((m) => m.text.includes(':white_check_mark:'));
    expect(told.map((m) => m.text)).toEqual([
      expect.stringMatching(/acme\/storefront#1>? was closed by Bob Martinez: action item done/),
    ]);
    expect((await pageIssues())[0]).toMatchObject({ state: 'closed', actionDone: true });
    // closed already: nothing is sent again
    expect(await issueAct({ act: 'close', user: BOB, repo: 'acme/storefront', number: 1 })).toEqual({
      status: 409,
      json: { ok: false, error: 'already_closed' },
    });
    expect(s.github.deliveries).toHaveLength(1);
  });

  it('reopens it, and the action item is open again', async () => {
    const reopened = await issueAct({ act: 'reopen', user: ALICE, repo: 'acme/storefront', number: 1 });
    expect(reopened).toMatchObject({ status: 200, json: { ok: true, webhookStatus: 200 } });
    await s.idle();
    expect(s.github.deliveries.map((d) => [d.action, d.status])).toEqual([
      ['closed', 200],
      ['reopened', 200],
    ]);
    const [item] = await s.app.deps.store.actions.list(1);
    expect(item?.doneAt).toBeNull();
    expect(s.workspace.messages(channelId).some((m) => m.text.includes('action item open again'))).toBe(true);
    expect((await pageIssues())[0]).toMatchObject({ state: 'open', actionDone: false });
  });
});

describe('a restart', () => {
  it("makes the issues Muster linked again, so a new action item's issue gets the next number", async () => {
    t = await t.restart();
    s = t.sandbox;
    expect(s.github.issues).toMatchObject([
      {
        repo: 'acme/storefront',
        number: 1,
        title: 'Add a canary stage to checkout deploys',
        assignees: ['bobmartinez'],
        state: 'open',
      },
    ]);
    await s.people.type(BOB, channelId, '/incident action Page on checkout 5xx over 2% @carol p2');
    await s.idle();
    expect(s.github.issues.map((i) => [i.number, i.title, i.assignees])).toEqual([
      [1, 'Add a canary stage to checkout deploys', ['bobmartinez']],
      [2, 'Page on checkout 5xx over 2%', ['carol-ng']],
    ]);
    expect((await pageIssues()).map((i) => [i['key'], i['incident']])).toEqual([
      ['acme/storefront#2', { number: 1, ref: 'INC-1', channelId }],
      ['acme/storefront#1', { number: 1, ref: 'INC-1', channelId }],
    ]);
  });
});
