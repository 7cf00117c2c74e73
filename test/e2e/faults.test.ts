/**
 * The fault suite: outcomes under failure, never timings. A locked database, a flood of bad requests,
 * Slack rate-limiting everything, PagerDuty down for a whole incident across two restarts, and a runaway
 * script hitting its own command limit.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type IncidentChannel, openIncident } from '../support/incident-channel.js';
import { type PagingWorld, startPagingWorld } from '../support/paging-world.js';
import { type Harness, SIGNING_SECRET, startMuster } from '../support/muster-harness.js';
import { waitUntil } from '../adapters/catalog/wait-until.js';
import { PROVISION_LEASE_MS } from '../../src/app/incident/provision-incident.js';
import { signedHeaders } from '../support/sign.js';
import { removeTempDirs, tempDir } from '../support/temp-dir.js';
import { startFakeSlack } from '../fakes/fake-slack.js';
import { musterProcessEnv, processCommand, startMusterProcess } from '../support/muster-process.js';

let c: IncidentChannel | null = null;
let w: PagingWorld | null = null;
let h: Harness | null = null;
afterEach(async () => {
  await c?.h.stop().catch(() => {});
  await w?.stop().catch(() => {});
  await h?.stop().catch(() => {});
  c = null;
  w = null;
  h = null;
});
afterAll(() => removeTempDirs());

const notes = async (c: IncidentChannel) =>
  (await c.entries()).filter((e) => e.kind === 'note').map((e) => e.text);

describe('faults', () => {
  it('waits for another writer holding the database lock, and every request succeeds', async () => {
    c = await openIncident({ env: { COMMANDS_PER_MINUTE: '10000' } });
    // Another process takes the write lock and holds it for a moment.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const db = new D(process.argv[1]);
         db.exec('BEGIN IMMEDIATE'); db.prepare("insert into users (id, name, display_name, fetched_at) values ('ULOCK','lock','lock',0)").run();
         process.stdout.write('locked\\n');
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 800);
         db.exec('COMMIT'); process.stdout.write('released\\n');`,
        c.h.dbFile,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH } },
    );
    const exited = new Promise((r) => holder.once('exit', r));
    let out = '';
    let err = '';
    holder.stderr.on('data', (d) => (err += String(d)));
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (d) => {
        out += String(d);
        if (out.includes('locked')) resolve();
      });
      void exited.then((code) => reject(new Error(`lock holder exited ${code} before locking: ${err}`)));
    });
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => c!.command(`note written while locked ${i}`)),
    );
    await exited;
    expect(out).toContain('released');
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(answers.every((a) => !String(a.json?.text ?? '').includes('Something went wrong'))).toBe(true);
    await c.h.idle();
    expect((await notes(c)).filter((t) => t.startsWith('written while locked'))).toHaveLength(8);
  });

  it('refuses every bad request of a flood with the right status and serves every good one', async () => {
    c = await openIncident({ env: { COMMANDS_PER_MINUTE: '10000' } });
    const { h } = c;
    const url = `${h.url}/slack/events`;
    const nowSec = Math.floor(h.clock.now() / 1000);
    const huge = 'x'.repeat(1024 * 1024 + 100);
    type Req = { expect: number; send: () => Promise<number> };
    const form = (text: string) =>
      new URLSearchParams({
        team_id: 'T0MUSTER',
        channel_id: c!.channel,
        user_id: 'U0BOB',
        user_name: 'bob',
        command: '/incident',
        text,
        response_url: h.slack.responseUrl(),
      }).toString();
    const post = async (body: string, headers: Record<string, string>) => {
      try {
        const r = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          body,
        });
        await r.arrayBuffer();
        return r.status;
      } catch {
        return -1; // a dropped connection: never an answer this test accepts
      }
    };
    const reqs: Req[] = [];
    for (let i = 0; i < 60; i++) {
      const body = form(`note good ${i}`);
      reqs.push({ expect: 200, send: () => post(body, signedHeaders(SIGNING_SECRET, body, nowSec)) });
    }
    for (let i = 0; i < 60; i++) {
      const body = form(`note forged ${i}`);
      reqs.push({ expect: 401, send: () => post(body, signedHeaders('not-the-secret', body, nowSec)) });
    }
    for (let i = 0; i < 30; i++) {
      const body = form(`note replayed ${i}`);
      reqs.push({ expect: 401, send: () => post(body, signedHeaders(SIGNING_SECRET, body, nowSec - 600)) });
    }
    for (let i = 0; i < 30; i++) {
      const body = `payload=${encodeURIComponent('{"type":')}${i}`;
      reqs.push({ expect: 400, send: () => post(body, signedHeaders(SIGNING_SECRET, body, nowSec)) });
    }
    for (let i = 0; i < 30; i++) {
      const body = `{"type":"event_callback","event_id":${i}`;
      reqs.push({
        expect: 400,
        send: () =>
          post(body, { ...signedHeaders(SIGNING_SECRET, body, nowSec), 'content-type': 'application/json' }),
      });
    }
    for (let i = 0; i < 6; i++) {
      reqs.push({ expect: 413, send: () => post(huge, signedHeaders(SIGNING_SECRET, huge, nowSec)) });
    }
    // shuffle deterministically, then send 16 at a time
    reqs.sort((a, b) => ((reqs.indexOf(a) * 7919) % 233) - ((reqs.indexOf(b) * 7919) % 233));
    const got: number[] = new Array(reqs.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < reqs.length) {
          const i = next++;
          got[i] = await reqs[i]!.send();
        }
      }),
    );
    reqs.forEach((r, i) => {
      expect({ i, status: got[i] }).toEqual({ i, status: r.expect });
    });
    await h.idle();
    const good = (await notes(c)).filter((t) => t.startsWith('good '));
    expect(good).toHaveLength(60);
    expect((await notes(c)).some((t) => t.startsWith('forged') || t.startsWith('replayed'))).toBe(false);
    expect((await h.get('/healthz')).status).toBe(200);
  });

  it('keeps its memory bounded while it refuses a flood of oversized bodies and serves good requests', async () => {
    const slack = await startFakeSlack();
    const dir = tempDir();
    const p = await startMusterProcess(
      { ...musterProcessEnv(slack, join(dir, 'muster.db'), dir), LOG_LEVEL: 'silent' },
      dir,
    );
    try {
      // The peak resident set of the process, so no transient spike between samples is missed.
      const peak = () =>
        Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.child.pid}/status`, 'utf8'))![1]) * 1024;
      for (let i = 0; i < 20; i++) expect((await processCommand(slack, p.url, 'help')).status).toBe(200);
      const before = peak();
      const port = Number(new URL(p.url).port);
      const bodyBytes = 4 * 1024 * 1024;
      const chunk = Buffer.alloc(64 * 1024, 'x');
      // Streamed with backpressure, half with a declared length and half chunked: this side holds one chunk.
      const oversized = (declared: boolean) =>
        new Promise<number>((resolve) => {
          let done = false;
          const finish = (status: number) => {
            if (!done) resolve(status);
            done = true;
          };
          const req = request(
            {
              host: '127.0.0.1',
              port,
              path: '/slack/events',
              method: 'POST',
              headers: {
                'content-type': 'application/x-www-form-urlencoded',
                ...signedHeaders(SIGNING_SECRET, 'x'),
                ...(declared ? { 'content-length': String(bodyBytes) } : {}),
              },
            },
            (res) => {
              res.resume();
              finish(res.statusCode ?? 0);
            },
          );
          req.on('error', () => finish(-1));
          let sent = 0;
          const pump = () => {
            while (sent < bodyBytes && !done) {
              sent += chunk.length;
              if (!req.write(chunk)) return void req.once('drain', pump);
            }
            req.end();
          };
          pump();
        });
      const flood = 96;
      const statuses: number[] = [];
      const good: number[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < flood) {
            const i = next++;
            statuses.push(await oversized(i % 2 === 0));
            if (i % 4 === 0) good.push((await processCommand(slack, p.url, 'help')).status);
          }
        }),
      );
      // Up to 384 MB were sent: what the process kept of them is bounded by the 1 MB limit of each request in
      // flight, plus garbage not yet collected, never by the size of the flood. Every refused upload reads its
      // 413, whether its length was declared or it was chunked.
      expect(statuses).toEqual(Array(flood).fill(413));
      expect(good).toEqual(Array(flood / 4).fill(200));
      expect(peak() - before).toBeLessThan(100 * 1024 * 1024);
      expect((await fetch(`${p.url}/healthz`)).status).toBe(200);
    } finally {
      p.child.kill('SIGKILL');
      await p.exited;
      await slack.close();
    }
  });

  it('makes no Slack call before the Retry-After of a rate limit, and loses nothing while Slack refuses everything', async () => {
    c = await openIncident({ env: { COMMANDS_PER_MINUTE: '10000' } });
    const { h } = c;
    const before = h.slack.calls.length;
    h.slack.failAlways('*', { error: 'ratelimited', retryAfter: 1 });
    const answers = await Promise.all([1, 2, 3].map((i) => c!.command(`update during the rate limit ${i}`)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    // every update is stored before Slack answers anything
    const updates = async () =>
      (await c!.entries()).filter((e) => e.kind === 'update' && e.text.startsWith('during the rate limit'));
    expect(await updates()).toHaveLength(3);
    // let the first refusals happen, then Slack recovers
    for (let i = 0; i < 2000 && !h.slack.calls.slice(before).some((x) => x.failedWith === 429); i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    h.slack.clearFailures();
    await h.idle();
    const calls = h.slack.calls.slice(before);
    const limited = calls.filter((x) => x.failedWith === 429);
    expect(limited.length).toBeGreaterThan(0);
    const firstLimit = limited[0]!.at;
    const after = calls.filter((x) => x.at > firstLimit && x.failedWith === undefined);
    expect(after.length).toBeGreaterThan(0);
    for (const x of after) expect(x.at - firstLimit).toBeGreaterThanOrEqual(1000);
    // the updates were posted once Slack recovered, and nothing was lost
    const posted = h.slack
      .callsTo('chat.postMessage')
      .filter((m) => m.failedWith === undefined && String(m.args.text).includes('during the rate limit'));
    expect(new Set(posted.map((m) => String(m.args.text).match(/during the rate limit \d/)![0])).size).toBe(
      3,
    );
    expect(await updates()).toHaveLength(3);
  });

  it('stops within its grace while Slack is down, and the declaration cut short is finished at the next start', async () => {
    const slack = await startFakeSlack();
    slack.failAlways('conversations.create', { status: 503 });
    // Slack's retries wait far longer than the grace: the channel being created is still in flight at the stop.
    const first = await startMuster({
      slack,
      overrides: { slackRetry: { retries: 1, minTimeout: 5_000, maxTimeout: 5_000 }, shutdownGraceMs: 50 },
    });
    // stopped (with the fake Slack) after the test if it fails before the next start takes over
    h = first;
    const declared = await first.command('declare sev1 Checkout is down');
    expect(declared.status).toBe(200);
    await waitUntil(() => slack.callsTo('conversations.create').length > 0, 'the first try at the channel');
    await first.app.stop();
    expect(first.logs.records()).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: 'stopping with work still in flight: what it stored is taken up again once its lease runs out, after a restart or by another instance',
        graceMs: 50,
      }),
    );

    // Slack is back; once the stopped instance's lease has run out, the next start on the same database
    // provisions the incident, once.
    slack.clearFailures();
    h = await startMuster({ slack, clock: first.clock, dir: first.dir });
    h.clock.advance(PROVISION_LEASE_MS + 1);
    await h.app.tick();
    await h.idle();
    const [incident] = await h.app.deps.store.incidents.listOpen();
    expect(incident?.channelId).toBeTruthy();
    expect(slack.workspace.channel(incident!.channelName!)?.id).toBe(incident!.channelId);
    expect(
      slack.callsTo('conversations.create').filter((call) => call.failedWith === undefined),
    ).toHaveLength(1);
  });

  it('limits a runaway script per person, without starving other people or workspaces', async () => {
    c = await openIncident({ env: { COMMANDS_PER_MINUTE: '20' } });
    const answers = [];
    for (let i = 0; i < 13; i++) answers.push(await c.command(`note burst ${i}`));
    const limited = answers.filter((a) =>
      String(a.json?.text).includes('faster than Muster accepts from one person'),
    );
    expect(limited.length).toBeGreaterThanOrEqual(2);
    const other = await c.h.command('help', { team: 'T0OTHER' });
    expect(String(other.json?.text)).toContain('/incident declare');
    const colleague = await c.command('note a colleague is not limited', 'U0BOB');
    expect(String(colleague.json?.text ?? '')).not.toContain('Your command was not run');
    c.h.clock.advanceMinutes(1);
    expect(String((await c.command('note after a minute')).json?.text ?? '')).not.toContain(
      'Your command was not run',
    );
    expect(await c.h.metrics()).toMatch(/muster_commands_total\{command="any",outcome="rate_limited"\} \d+/);
  });

  it('delivers each page exactly once after PagerDuty was down for the whole incident and Muster restarted twice', async () => {
    w = await startPagingWorld();
    w.pd.down(503);
    // sev1 pages checkout automatically, while PagerDuty is already down
    const incident = await w.declare('sev1 checkout returns 500s');
    await w.inChannel(incident, 'page checkout');
    await w.inChannel(incident, 'page search');
    await w.inChannel(incident, 'note waiting for PagerDuty');
    await w.inChannel(incident, 'resolve rolled back');
    await w.h.idle();
    for (let i = 0; i < 2; i++) {
      w.clock.advanceMinutes(3);
      await w.h.app.tick();
      await w.restart();
      w.clock.advanceMinutes(3);
      await w.h.app.tick();
    }
    const checkoutKey = `muster-inc-${incident.number}-checkout`;
    const searchKey = `muster-inc-${incident.number}-search`;
    expect(w.pd.triggersFor(checkoutKey)).toBe(0);
    w.pd.up();
    for (let i = 0; i < 4; i++) {
      w.clock.advanceMinutes(10);
      await w.h.app.tick();
    }
    expect(w.pd.triggersFor(checkoutKey)).toBe(1);
    expect(w.pd.incidentsFor(checkoutKey)).toHaveLength(1);
    expect(w.pd.incidentsFor(checkoutKey)[0]!.status).toBe('resolved');
    expect(w.pd.incidentsFor(searchKey)).toHaveLength(1);
    expect(w.rows("select * from outbox where state = 'pending'")).toHaveLength(0);
  });
});
