/**
 * The sandbox end to end, without a browser: people act in the built-in workspace, the sandbox sends Slack's
 * signed requests to /slack/events, the app answers through the workspace's Web API, PagerDuty acknowledges
 * by signed webhook, the page's HTTP endpoints serve state and live notices, and a restart keeps the workspace.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/index.js';
import { elementsOf } from '../../src/slack-view-state.js';
import { INCIDENTS_CHANNEL_ID, OTHER_BOT_USER_ID } from '../../src/slack-workspace-seed.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox-harness.js';
import { musterCommand, queryFile } from '../../../../test/support/muster-process.js';
import { removeTempDirs, tempDir } from '../../../../test/support/temp-dir.js';

const ALICE = 'U0ALICE';
const BOB = 'U0BOB';

let t: TestSandbox;
let s: Sandbox;

/** The newest incident and its channel, as the app stored them. */
async function incident() {
  const found = (await s.app.deps.store.incidents.all()).at(-1);
  if (!found?.channelId || !found.headlineTs) throw new Error('no provisioned incident');
  return found as typeof found & { channelId: string; headlineTs: string };
}

/** Waits until `check` holds (PagerDuty's acknowledgement comes on its own timer). */
async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i += 1) {
    await new Promise((r) => setTimeout(r, 25));
    await s.idle();
  }
  if (!(await check())) throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  t = await startTestSandbox();
  s = t.sandbox;
});

afterAll(async () => {
  await t.sandbox.stop();
  removeTempDirs();
});

describe('the sandbox workspace in front of the real app', () => {
  it('uses the demo catalog when no catalog file exists, and starts fresh', () => {
    expect(s.catalog).toBe('demo');
    expect(s.restored).toBe(false);
    expect(s.app.deps.catalog.current?.services.map((x) => x.name)).toEqual(
      expect.arrayContaining(['checkout', 'payments']),
    );
  });

  it('sends a typed slash command to the app, signed, and shows its answer to the person alone', async () => {
    const outcome = await s.people.type(
      ALICE,
      INCIDENTS_CHANNEL_ID,
      '/incident declare sev2 Checkout returns 502',
    );
    expect(outcome).toEqual({ ok: true });
    await s.idle();
    const inc = await incident();
    expect(inc.title).toBe('Checkout returns 502');
    const mine = s.workspace
      .ephemerals({ user: ALICE })
      .map((e) => e.text)
      .join('\n');
    expect(mine).toMatch(/INC-1: Checkout returns 502 is open in <#C/);
    expect(s.workspace.ephemerals({ user: BOB })).toEqual([]);
    // the announcement went to the seeded #incidents, the headline is pinned in the new channel
    expect(s.workspace.messages(INCIDENTS_CHANNEL_ID).some((m) => m.text.includes('INC-1'))).toBe(true);
    expect(s.workspace.pins(inc.channelId).map((m) => m.ts)).toEqual([inc.headlineTs]);
  });

  it('turns @names into mentions, as Slack escapes a command', async () => {
    const inc = await incident();
    await s.people.type(ALICE, inc.channelId, '/incident role comms @bob');
    await s.idle();
    expect((await s.app.deps.store.incidents.holders(inc.number)).comms).toBe(BOB);
  });

  it('delivers messages and reactions as Events API events: a pushpin puts the message on the timeline', async () => {
    const inc = await incident();
    expect(s.people.join(BOB, inc.channelId)).toEqual({ ok: true });
    expect(s.people.say(BOB, inc.channelId, 'Error rate on /orders is 35%')).toEqual({ ok: true });
    const said = s.workspace.messages(inc.channelId).at(-1)!;
    expect(s.people.react(ALICE, inc.channelId, said.ts, 'pushpin', true)).toEqual({ ok: true });
    await s.idle();
    const entry = (await s.app.deps.store.timeline.list(inc.number)).find((e) =>
      e.text.includes('Error rate on /orders'),
    );
    expect(entry?.actor).toBe(BOB);
    expect(s.people.react(ALICE, inc.channelId, said.ts, 'pushpin', false)).toEqual({ ok: true });
    await s.idle();
    expect(
      (await s.app.deps.store.timeline.list(inc.number)).some((e) =>
        e.text.includes('Error rate on /orders'),
      ),
    ).toBe(false);
  });

  it('presses a headline button, shows refused fields of the modal, then closes it on a valid submission', async () => {
    const inc = await incident();
    const block = `headline:${inc.number}`;
    const pressed = await s.people.press(
      ALICE,
      { channel: inc.channelId, ts: inc.headlineTs },
      { blockId: block, actionId: 'headline.role' },
    );
    expect(pressed).toEqual({ ok: true });
    await s.idle();
    const view = s.workspace
      .views()
      .filter((v) => !v.closed && v.user === ALICE)
      .at(-1)!;
    expect(view.view['callback_id']).toBe('incident.role');
    // the client's own check: nothing chosen
    const empty = await s.people.submit(ALICE, view.id, {});
    expect(empty).toMatchObject({
      ok: false,
      errors: { role: expect.any(String), user: expect.any(String) },
    });
    // the app's check (response_action: errors): a bot cannot hold a role
    const bot = await s.people.submit(ALICE, view.id, {
      role: { value: 'scribe' },
      user: { value: OTHER_BOT_USER_ID },
    });
    expect(bot).toMatchObject({
      ok: false,
      error: 'invalid_input',
      errors: { user: expect.stringMatching(/bot|app/i) },
    });
    expect(s.people.errorsOf(view.id)).toEqual(bot.ok ? undefined : bot.errors);
    expect(s.workspace.view(view.id)?.closed).toBe(false);
    const done = await s.people.submit(ALICE, view.id, { role: { value: 'scribe' }, user: { value: BOB } });
    expect(done).toEqual({ ok: true });
    await s.idle();
    expect(s.workspace.view(view.id)?.closed).toBe(true);
    expect((await s.app.deps.store.incidents.holders(inc.number)).scribe).toBe(BOB);
  });

  it('pages through the built-in PagerDuty, which acknowledges by a signed webhook', async () => {
    const inc = await incident();
    await s.people.type(ALICE, inc.channelId, '/incident page checkout orders fail');
    await s.idle();
    await until(
      async () => (await s.app.deps.store.pages.list(inc.number)).some((p) => p.status === 'acknowledged'),
      'the acknowledgement',
    );
    const page = (await s.app.deps.store.pages.list(inc.number)).find((p) => p.service === 'checkout')!;
    // Bob is found in Slack by the email PagerDuty has for him
    expect(page.acknowledgedBy).toBe('U0BOB');
    expect(s.pagerduty.webhooks.at(-1)).toMatchObject({ eventType: 'incident.acknowledged', status: 202 });
  });

  it('presses a button in an ephemeral message, which the answer then replaces', async () => {
    const inc = await incident();
    await s.people.type(ALICE, inc.channelId, '/incident action Add a canary stage @bob p1');
    await s.people.type(ALICE, inc.channelId, '/incident actions');
    await s.idle();
    const mine = () => s.workspace.ephemerals({ user: ALICE, channel: inc.channelId });
    const list = mine().at(-1)!;
    const button = elementsOf(list.blocks).find((e) => e.element['type'] === 'button')!;
    const count = mine().length;
    const pressed = await s.people.press(ALICE, { channel: inc.channelId, ts: list.ts }, button);
    expect(pressed).toEqual({ ok: true });
    await s.idle();
    expect(mine()).toHaveLength(count);
    expect(JSON.stringify(mine().find((e) => e.ts === list.ts)?.blocks)).not.toContain(button.actionId);
    expect((await s.app.deps.store.actions.list(inc.number)).every((a) => a.doneAt !== null)).toBe(true);
  });

  it('answers a mistyped command with Slack-like help, and an unknown command without bothering the app', async () => {
    expect(await s.people.type(ALICE, INCIDENTS_CHANNEL_ID, '/incdent list')).toEqual({
      ok: false,
      error: 'invalid_command',
    });
    const outcome = await s.people.type(ALICE, INCIDENTS_CHANNEL_ID, '/incident note out of place');
    expect(outcome).toEqual({ ok: true });
    await s.idle();
    expect(s.workspace.ephemerals({ user: ALICE }).at(-1)?.text).toMatch(
      /^:warning: `\/incident note` acts on an incident/,
    );
  });
});

describe("the page's HTTP side", () => {
  it('serves the page, its files, and permalinks into it', async () => {
    const html = await (await fetch(`${t.base}/`)).text();
    expect(html).toContain('Sandbox:</strong> not connected to Slack');
    const js = await fetch(`${t.base}/sandbox/ui/app.js`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${t.base}/sandbox/ui/../../sandbox.ts`)).status).toBe(404);
    const inc = await incident();
    const permalink = await fetch(`${t.base}/archives/${inc.channelId}/p${inc.headlineTs.replace('.', '')}`);
    expect(await permalink.text()).toContain('<main');
  });

  it("gives each person their own state: their ephemeral messages only, the channel's messages, the open modal", async () => {
    const inc = await incident();
    const state = async (user: string) =>
      (await (await fetch(`${t.base}/sandbox/state?user=${user}&channel=${inc.channelId}`)).json()) as Record<
        string,
        unknown
      >;
    const alice = await state('alice');
    const bob = await state(BOB);
    expect(alice['me']).toBe(ALICE);
    expect((alice['channel'] as { id: string }).id).toBe(inc.channelId);
    expect((alice['messages'] as { pinned: boolean }[]).filter((m) => m.pinned)).toHaveLength(1);
    expect((alice['ephemerals'] as unknown[]).length).toBeGreaterThan(0);
    const texts = (who: Record<string, unknown>) =>
      (who['ephemerals'] as { text: string }[]).map((e) => e.text).join('\n');
    expect(texts(alice)).toMatch(/Paging \*checkout\*/);
    expect(texts(bob)).toMatch(/You are the \*Communications Lead\*/);
    expect(texts(bob)).not.toMatch(/Paging/);
    expect((alice['channels'] as { incident: boolean }[]).filter((c) => c.incident)).toHaveLength(1);
  });

  it('takes acts as JSON only, checked', async () => {
    const post = (body: string, type = 'application/json') =>
      fetch(`${t.base}/sandbox/act`, {
        method: 'POST',
        headers: { 'content-type': type, 'x-muster-sandbox': '1' },
        body,
      });
    expect((await post('act=type', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await post('{"act":"fly"}')).status).toBe(400);
    expect((await post('not json')).status).toBe(400);
    const asBot = await post(
      JSON.stringify({ act: 'type', user: 'U0MUSTERBOT', channel: INCIDENTS_CHANNEL_ID, text: 'hi' }),
    );
    expect(await asBot.json()).toEqual({ ok: false, error: 'user_not_found' });
    const said = await post(
      JSON.stringify({
        act: 'type',
        user: BOB,
        channel: INCIDENTS_CHANNEL_ID,
        text: 'hello <there> & @alice',
      }),
    );
    expect(await said.json()).toEqual({ ok: true });
    expect(s.workspace.messages(INCIDENTS_CHANNEL_ID).at(-1)?.text).toBe(
      'hello &lt;there&gt; &amp; <@U0ALICE>',
    );
  });

  it('tells open pages of every change through Server-Sent Events', async () => {
    const controller = new AbortController();
    const response = await fetch(`${t.base}/sandbox/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const version = Number(/data: (\d+)/.exec(first)?.[1]);
    s.people.say(BOB, INCIDENTS_CHANNEL_ID, 'anyone there?');
    let next = '';
    while (!/data: \d+/.test(next)) next += new TextDecoder().decode((await reader.read()).value);
    expect(Number(/data: (\d+)/.exec(next)?.[1])).toBeGreaterThan(version);
    controller.abort();
  });
});

describe('a restart', () => {
  it('keeps the workspace in its own database, so the app and the workspace still agree', async () => {
    const inc = await incident();
    const messages = s.workspace.messages(inc.channelId).length;
    const token = s.workspace.token;
    const secret = s.app.config.SLACK_SIGNING_SECRET;
    t = await t.restart();
    s = t.sandbox;
    expect(s.restored).toBe(true);
    // the incidents are in SANDBOX_DATABASE_URL, the workspace in the state file beside it; a bot token of its
    // own on every run, known to no one in advance
    expect(
      readdirSync(t.dir)
        .filter((f) => f.endsWith('.db'))
        .sort(),
    ).toEqual(['sandbox-workspace.db', 'sandbox.db']);
    expect(s.app.config.DATABASE_URL).toBe(join(t.dir, 'sandbox.db'));
    expect(s.stateFile).toBe(join(t.dir, 'sandbox-workspace.db'));
    expect(
      queryFile(join(t.dir, 'sandbox.db'), "select name from sqlite_master where name like '%sandbox%'"),
    ).toEqual([]);
    expect(s.workspace.token).toMatch(/^xoxb-\d+-[0-9a-f]{48}$/);
    expect(s.workspace.token).not.toBe(token);
    expect(s.app.config.SLACK_BOT_TOKEN).toBe(s.workspace.token);
    // and a signing secret of its own on every run: a request signed with the last run's is not the sandbox's
    expect(secret).toMatch(/^[0-9a-f]{40}$/);
    expect(s.app.config.SLACK_SIGNING_SECRET).toMatch(/^[0-9a-f]{40}$/);
    expect(s.app.config.SLACK_SIGNING_SECRET).not.toBe(secret);
    expect(s.workspace.channel(inc.channelId)?.name).toBe(inc.channelName);
    expect(s.workspace.messages(inc.channelId).length).toBeGreaterThanOrEqual(messages);
    await s.people.type(ALICE, inc.channelId, '/incident note still here after a restart');
    await s.idle();
    expect(
      (await s.app.deps.store.timeline.list(inc.number)).some((e) =>
        e.text.includes('still here after a restart'),
      ),
    ).toBe(true);
  });
});

/** `muster start` as `npm start` runs it: a process in `cwd` with no Slack settings; resolves with its page's address. */
async function startProcess(cwd: string): Promise<{ child: ChildProcess; base: string; out: () => string }> {
  const child = spawn(...musterCommand('start'), {
    cwd,
    env: { PATH: process.env.PATH, PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Open http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`muster exited (${code}): ${out}`)));
  });
  return { child, base, out: () => out };
}

/** Stops the process as Ctrl-C does and returns its exit code. */
function interrupt(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });
}

describe('npm start without Slack credentials', () => {
  it('serves the sandbox page, and a restart of the process keeps the workspace', async () => {
    const cwd = tempDir('muster-start-');
    const first = await startProcess(cwd);
    try {
      expect(first.out()).toContain(
        'sandbox mode because no Slack variable is set; to connect Slack, set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET',
      );
      expect(first.out()).toContain('catalog: the demo catalog');
      const page = await fetch(`${first.base}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<strong>Sandbox:</strong> not connected to Slack');
      const act = await fetch(`${first.base}/sandbox/act`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-muster-sandbox': '1' },
        body: JSON.stringify({
          act: 'type',
          user: ALICE,
          channel: INCIDENTS_CHANNEL_ID,
          text: '/incident declare sev3 Search is slow',
        }),
      });
      expect(await act.json()).toEqual({ ok: true });
      const incidentChannels = async (base: string) => {
        const state = (await (await fetch(`${base}/sandbox/state?user=${ALICE}`)).json()) as {
          channels: { name: string; incident: boolean }[];
        };
        return state.channels.filter((c) => c.incident).map((c) => c.name);
      };
      // the declaration finishes after the command's answer: wait for its channel (a few short polls)
      let channels: string[] = [];
      for (let i = 0; i < 200 && channels.length === 0; i += 1) {
        channels = await incidentChannels(first.base);
        if (channels.length === 0) await new Promise((r) => setTimeout(r, 25));
      }
      expect(channels).toEqual(['inc-1-search-is-slow']);
      expect(await interrupt(first.child)).toBe(0);
      // the sandbox's own database and state file; the bot's default database is never created
      expect(existsSync(join(cwd, 'data', 'sandbox.db'))).toBe(true);
      expect(existsSync(join(cwd, 'data', 'sandbox-workspace.db'))).toBe(true);
      expect(existsSync(join(cwd, 'data', 'muster.db'))).toBe(false);

      const second = await startProcess(cwd);
      try {
        expect(second.out()).toContain('(restored)');
        expect(await incidentChannels(second.base)).toEqual(['inc-1-search-is-slow']);
      } finally {
        expect(await interrupt(second.child)).toBe(0);
      }
    } finally {
      if (first.child.exitCode === null) first.child.kill('SIGKILL');
    }
  });
});

describe('starting on a free port', () => {
  it('starts again on another port when the one it found is taken before it listens, and keeps nothing of the try', async () => {
    // another process takes the port the sandbox found, between finding it and listening on it
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const takenPort = (taken.address() as AddressInfo).port;
    const found: number[] = [];
    const pickPort = async (): Promise<number> => {
      const port = found.length === 0 ? takenPort : await freePortNow();
      found.push(port);
      return port;
    };
    const other = await startTestSandbox({ pickPort });
    try {
      expect(found).toHaveLength(2);
      expect(other.sandbox.port).toBe(found[1]);
      expect(other.sandbox.restored).toBe(false);
      const page = await fetch(`${other.base}/`);
      await page.arrayBuffer();
      expect(page.status).toBe(200);
      // the failed try left nothing listening or scheduled: it logged the refusal once, and the app started once
      expect(other.logs.lines.filter((l) => l.includes('sandbox workspace ready'))).toHaveLength(1);
    } finally {
      await other.sandbox.stop();
      await new Promise((r) => taken.close(r));
    }
  });

  it('gives up with the error when every port it finds is taken', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const takenPort = (taken.address() as AddressInfo).port;
    let tries = 0;
    try {
      await expect(
        startTestSandbox({
          pickPort: async () => {
            tries += 1;
            return takenPort;
          },
        }),
      ).rejects.toMatchObject({ code: 'EADDRINUSE' });
      expect(tries).toBe(3);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });
});

async function freePortNow(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  return port;
}
