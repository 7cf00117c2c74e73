/** The postmortem: rendered from the record, uploaded with the three-step flow, exported from the CLI. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { UPLOAD_STEP } from '../../packages/sandbox/src/emulators.js';
import { findIncident } from '../../src/app/postmortem/export-postmortem.js';
import { exportPostmortem } from '../../src/compose-export.js';
import { type IncidentChannel, openIncident } from '../support/incident-channel.js';
import { musterCommand } from '../support/muster-process.js';
import { removeTempDirs } from '../support/temp-dir.js';

let c: IncidentChannel | null = null;
afterEach(async () => {
  await c?.h.stop();
  c = null;
});
afterAll(() => removeTempDirs());

const cli = (c: IncidentChannel, ...args: string[]) =>
  spawnSync(...musterCommand(...args), {
    cwd: c.h.dir,
    env: { PATH: process.env.PATH, DATABASE_URL: c.h.dbFile, INCIDENT_TIMEZONE: 'Europe/Berlin' },
    encoding: 'utf8',
  });

const uploadedMarkdown = (c: IncidentChannel, n = -1): string => {
  const done = c.h.slack.callsTo('files.completeUploadExternal').at(n)!;
  const id = (done.args.files as { id: string }[])[0]!.id;
  return c.h.slack.workspace.fileContent(id)!.toString('utf8');
};

describe('/incident postmortem', () => {
  it('uploads the draft as a markdown file through the upload flow, with a summary, on the headline and the timeline', async () => {
    c = await openIncident();
    const ts = await c.say('U0BOB', 'p99 latency on checkout-db is 4s, pool exhausted');
    await c.react('U0CAROL', ts);
    await c.command('note rolled back deploy *v42* | see <https://deploy.example.com/42|deploy 42>');
    await c.command('role comms <@U0BOB>');
    await c.command('status identified');
    await c.command('status monitoring');
    await c.command('action add pool saturation alert <@U0BOB> p1 due 2026-12-01');
    await c.command('resolve rolled back');
    await c.h.idle();

    const r = await c.command('postmortem');
    expect(String(r.json?.text)).toContain('Writing the postmortem draft');
    await c.h.idle();
    const get = c.h.slack.callsTo('files.getUploadURLExternal');
    expect(get).toHaveLength(1);
    expect(get[0]!.args.filename).toBe('postmortem-INC-1-v1.md');
    const done = c.h.slack.lastCall('files.completeUploadExternal')!;
    expect(done.args.channel_id).toBe(c.channel);
    expect(String(done.args.initial_comment)).toMatch(
      /Postmortem draft v1 for \*INC-1: Checkout returns 500s\*/,
    );
    expect(String(done.args.initial_comment)).toMatch(/1 action items/);

    const md = uploadedMarkdown(c);
    expect(md).toMatch(/INC-1/);
    expect(md).toContain('p99 latency on checkout-db is 4s, pool exhausted');
    expect(md).toContain('rolled back deploy **v42** \\| see [deploy 42](https://deploy.example.com/42)');
    expect(md).toContain('add pool saturation alert');
    expect(md).toMatch(/Root cause/i);
    expect(md).not.toMatch(/Draft: not resolved/i);

    const headline = c.h.slack
      .callsTo('chat.update')
      .filter((u) => u.args.ts === c!.incident.headlineTs)
      .at(-1)!;
    expect(JSON.stringify(headline.args.blocks)).toContain('Postmortem:');
    expect((await c.entries()).filter((e) => e.kind === 'postmortem').map((e) => e.text)).toEqual([
      'Postmortem draft v1 written',
    ]);

    await c.command('postmortem');
    await c.h.idle();
    expect(c.h.slack.callsTo('files.getUploadURLExternal').map((x) => x.args.filename)).toEqual([
      'postmortem-INC-1-v1.md',
      'postmortem-INC-1-v2.md',
    ]);

    // The CLI writes the same markdown from the database alone.
    const out = join(c.h.dir, 'pm.md');
    const res = cli(c, 'export', 'INC-1', '--out', out);
    expect(res.status).toBe(0);
    const exported = readFileSync(out, 'utf8');
    expect(exported).toContain('p99 latency on checkout-db is 4s, pool exhausted');
    expect(exported.split('\n').filter((l) => l.startsWith('#')).length).toBe(
      md.split('\n').filter((l) => l.startsWith('#')).length,
    );
    for (const ref of ['1', 'inc-1', 'INC-1', `#${c.incident.channelName}`, c.incident.channelName!]) {
      expect((await findIncident(c.h.app.store, ref))?.number).toBe(1);
    }
    expect(await findIncident(c.h.app.store, 'inc-2')).toBeNull();
  });

  it('offers blameless suggestions to the person who asked, changing nothing', async () => {
    c = await openIncident();
    await c.command('note Bob caused the outage, it was human error');
    await c.h.idle();
    await c.command('postmortem');
    await c.h.idle();
    const advice = c.h.slack.responses
      .map((r) => JSON.stringify(r.body))
      .find((b) => b.includes('blameless review'));
    expect(advice).toBeTruthy();
    expect(advice).toContain('human error');
    expect(uploadedMarkdown(c)).toContain('Bob caused the outage, it was human error');
  });

  it('retries a failed upload, then tells the channel how to export, and resolving is not blocked', async () => {
    c = await openIncident();
    c.h.slack.failAlways('files.getUploadURLExternal', { error: 'internal_error' });
    await c.command('postmortem');
    await c.h.idle();
    expect(c.h.slack.callsTo('files.getUploadURLExternal').length).toBeGreaterThanOrEqual(3);
    const told = c.h.slack
      .callsTo('chat.postMessage')
      .filter((m) => String(m.args.text).includes('uploading it to Slack failed'));
    expect(told).toHaveLength(1);
    expect(String(told[0]!.args.text)).toContain('npm run muster -- export INC-1');
    expect(await c.h.app.deps.store.postmortems.latestUploaded(1)).toBeNull();
    const res = await c.command('resolve fixed');
    expect(res.status).toBe(200);
    await c.h.idle();
    expect((await c.h.app.deps.store.incidents.get(1))!.status).toBe('resolved');
    c.h.slack.clearFailures();
    await c.command('postmortem');
    await c.h.idle();
    expect((await c.h.app.deps.store.postmortems.latestUploaded(1))!.version).toBe(2);
  });

  it('retries the whole flow when the upload URL or the completion fails once', async () => {
    c = await openIncident();
    c.h.slack.failNext(UPLOAD_STEP, { status: 500 });
    c.h.slack.failNext('files.completeUploadExternal', { status: 500 });
    await c.command('postmortem');
    await c.h.idle();
    const uploaded = (await c.h.app.deps.store.postmortems.latestUploaded(1))!;
    expect(uploaded.version).toBe(1);
    // the failed upload starts the flow again with a new upload URL; the Web API client itself retries the
    // failed completion. Only the last file got its bytes and was completed, shared once.
    const reserved = c.h.slack.callsTo('files.getUploadURLExternal').length;
    expect(reserved).toBe(2);
    expect(c.h.slack.callsTo('files.completeUploadExternal').map((x) => x.failedWith ?? 'ok')).toEqual([
      500,
      'ok',
    ]);
    const files = c.h.slack.workspace.files().filter((f) => f.name === 'postmortem-INC-1-v1.md');
    expect(files).toHaveLength(reserved);
    expect(files.filter((f) => f.completed)).toHaveLength(1);
    expect(uploadedMarkdown(c)).toMatch(/^# INC-1: Checkout returns 500s/);
    expect(
      c.h.slack
        .callsTo('chat.postMessage')
        .filter((m) => String(m.args.text).includes('uploading it to Slack failed')),
    ).toHaveLength(0);
  });
});

describe('muster export', () => {
  it('marks an open incident as a draft, fails clearly on an unknown incident, and copes with 10,000 entries and hostile text', async () => {
    c = await openIncident();
    await c.command('note <script>alert(1)</script> | # heading\n> quote `code`');
    await c.h.idle();
    const draft = (await exportPostmortem(c.h.app.config, '1', c.h.clock.now())).markdown;
    expect(draft).toMatch(/draft: not resolved/i);
    expect(draft).not.toMatch(/(?<!\\)<script>/);
    expect(draft).toContain('\\<script>alert(1)\\</script>');

    const unknown = cli(c, 'export', 'INC-99');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain('no incident "INC-99"');

    const db = c.h.app.deps.store;
    const base = c.h.clock.now();
    await db.tx(async () => {
      for (let i = 0; i < 10_000; i++) {
        await db.timeline.add(
          {
            incidentNumber: 1,
            kind: 'note',
            text: `bulk note ${i}`,
            actor: 'U0BOB',
            occurredAt: base + i * 1000,
            sourceKey: `bulk:${i}`,
          },
          base + i * 1000,
        );
      }
    });
    const big = cli(c, 'export', 'INC-1');
    expect(big.status).toBe(0);
    expect(big.stdout).toContain('bulk note 9999');
    expect(big.stdout.split('\n').filter((l) => l.includes('bulk note')).length).toBe(10_000);
  });
});

describe('a team template', () => {
  it('stops start-up naming the template, the line and the field, for an unknown field or a syntax error', async () => {
    const { writeFileSync } = await import('node:fs');
    const { tempDir } = await import('../support/temp-dir.js');
    const { startMuster } = await import('../support/muster-harness.js');
    const dir = tempDir();
    const unknown = join(dir, 'unknown-field.md.hbs');
    writeFileSync(unknown, '# {{ref}}\n\n{{summary.customerCount}}\n');
    await expect(startMuster({ dir, env: { POSTMORTEM_TEMPLATE: unknown } })).rejects.toThrow(
      /unknown-field\.md\.hbs:3: unknown field "summary\.customerCount"/,
    );
    const broken = join(dir, 'broken.md.hbs');
    writeFileSync(broken, '# {{ref}}\n{{#if draft}}\nno end\n');
    await expect(startMuster({ dir, env: { POSTMORTEM_TEMPLATE: broken } })).rejects.toThrow(
      /broken\.md\.hbs/,
    );
    const good = join(dir, 'team.md.hbs');
    writeFileSync(
      good,
      '# {{ref}}: {{slack title}}\n{{#each timeline}}- {{at.time}} {{actor}}: {{slack text}}\n{{/each}}',
    );
    const h = await startMuster({ dir, env: { POSTMORTEM_TEMPLATE: good } });
    await h.stop();
  });
});
