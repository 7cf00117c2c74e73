/**
 * The built server, as `npm start` and `npm run muster --` run it: `node dist/cli.js`, started from another
 * folder, so templates, migrations and the render worker must be found from the installation. dist/ is
 * built before the tier when it is stale (test/support/build-global-setup.ts).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';
import { waitUntil } from '../adapters/catalog/wait-until.js';
import {
  musterCommand,
  type MusterProcess,
  musterProcessEnv,
  processCommand,
  startMusterProcess,
  killRunning,
} from '../support/muster-process.js';
import { removeTempDirs, tempDir } from '../support/temp-dir.js';

const running: MusterProcess[] = [];
let slack: FakeSlack | null = null;
afterEach(async () => {
  killRunning(running);
  await slack?.close();
  slack = null;
});
afterAll(() => removeTempDirs());

describe('the built server (node dist/cli.js)', () => {
  it('starts from another folder, answers /healthz, writes a postmortem on its render worker, stops on SIGTERM, and exports', async () => {
    slack = await startFakeSlack();
    const dir = tempDir();
    const dbFile = join(dir, 'muster.db');
    const env = musterProcessEnv(slack, dbFile, dir);
    const p = await startMusterProcess(env, dir, musterCommand('start'));
    running.push(p);

    const health = await fetch(`${p.url}/healthz`);
    expect(health.status).toBe(200);

    expect((await processCommand(slack, p.url, 'declare sev2 checkout returns 500s')).status).toBe(200);
    await waitUntil(() => slack!.callsTo('pins.add').length === 1, 'the incident channel');
    const channel = slack.workspace.channel('inc-1-checkout-returns-500s')!.id;
    const note = await processCommand(
      slack,
      p.url,
      'note rolled back *v42*\nwatching _the_ pool',
      'U0ALICE',
      channel,
    );
    expect(note.status).toBe(200);
    expect((await processCommand(slack, p.url, 'postmortem', 'U0ALICE', channel)).status).toBe(200);
    await waitUntil(
      () => slack!.callsTo('files.completeUploadExternal').length === 1,
      'the postmortem upload',
      15_000,
    );
    const fileId = (slack.callsTo('files.completeUploadExternal')[0]!.args.files as { id: string }[])[0]!.id;
    const uploaded = slack.workspace.fileContent(fileId)!.toString('utf8');
    expect(uploaded).toMatch(/^# INC-1: checkout returns 500s\n/);
    expect(uploaded).toContain('| Note | rolled back **v42** · watching _the_ pool |');

    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);

    const exported = spawnSync(...musterCommand('export', 'INC-1'), {
      cwd: dir,
      env: { PATH: process.env.PATH, DATABASE_URL: dbFile },
      encoding: 'utf8',
    });
    expect({ status: exported.status, stderr: exported.stderr }).toEqual({ status: 0, stderr: '' });
    // the same document, rendered later: only the time it was written may differ
    const undated = (md: string) =>
      md.replace(/\d{4}-\d\d-\d\d \d\d:\d\d/g, 'T').replace(/\d+ (min|s)\b/g, 'D');
    expect(undated(exported.stdout)).toBe(undated(uploaded));
  });

  it("runs the sandbox from another folder: its page, the page's files and the demo catalog come from the installation", async () => {
    const dir = tempDir();
    const p = await startMusterProcess(
      { SANDBOX_DATABASE_URL: join(dir, 'sandbox.db'), LOG_LEVEL: 'warn' },
      dir,
      musterCommand('sandbox'),
    );
    running.push(p);
    expect(p.output()).toContain('catalog: the demo catalog.');
    const page = await fetch(`${p.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/sandbox/ui/app.js');
    for (const file of ['app.js', 'sandbox.css'])
      expect((await fetch(`${p.url}/sandbox/ui/${file}`)).status).toBe(200);
    p.child.kill('SIGINT');
    expect(await p.exited).toBe(0);
  });

  it("exports through a team's template, which the CommonJS export loads the template compiler for, and fails with one line for a broken one", async () => {
    const dir = tempDir();
    const dbFile = join(dir, 'muster.db');
    slack = await startFakeSlack();
    const p = await startMusterProcess(musterProcessEnv(slack, dbFile, dir), dir, musterCommand('start'));
    running.push(p);
    expect((await processCommand(slack, p.url, 'declare sev2 checkout & cart return 500s')).status).toBe(200);
    await waitUntil(() => slack!.callsTo('pins.add').length === 1, 'the incident channel');
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);

    const team = join(dir, 'team.md.hbs');
    writeFileSync(team, '# {{ref}} for the team: {{md title}}\n');
    const env = { PATH: process.env.PATH, DATABASE_URL: dbFile, POSTMORTEM_TEMPLATE: team };
    const exported = spawnSync(...musterCommand('export', 'INC-1'), { cwd: dir, env, encoding: 'utf8' });
    expect({ status: exported.status, stderr: exported.stderr }).toEqual({ status: 0, stderr: '' });
    expect(exported.stdout).toBe('# INC-1 for the team: checkout & cart return 500s\n');

    writeFileSync(team, '# {{ref}}\n{{summary.customerCount}}\n');
    const broken = spawnSync(...musterCommand('export', 'INC-1'), { cwd: dir, env, encoding: 'utf8' });
    expect(broken.status).toBe(1);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toMatch(/^muster: .*team\.md\.hbs:2: unknown field "summary\.customerCount"/);
    expect(broken.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('export fails with one line for an unknown incident and for a missing argument', () => {
    const dir = tempDir();
    const env = { PATH: process.env.PATH, DATABASE_URL: join(dir, 'muster.db') };
    const unknown = spawnSync(...musterCommand('export', 'INC-404'), { cwd: dir, env, encoding: 'utf8' });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe(`muster: no incident "INC-404" in ${join(dir, 'muster.db')}\n`);
    const missing = spawnSync(...musterCommand('export'), { cwd: dir, env, encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(
      'muster: export needs an incident: a number like 42, INC-42, or its channel name\n',
    );
  });

  it('runs through npm as users type it: npm run muster runs the built CLI with its Node options', () => {
    const dir = tempDir();
    const root = join(import.meta.dirname, '../..');
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME ?? dir,
      DATABASE_URL: join(dir, 'muster.db'),
    };
    const help = spawnSync('npm', ['run', '--silent', 'muster', '--', 'help'], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    expect({ status: help.status, stderr: help.stderr }).toEqual({ status: 0, stderr: '' });
    expect(help.stdout).toMatch(/^usage: muster <command>\n/);
    const scripts = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    // the one-shot commands from the CommonJS entry, with the young generation capped and later optimisation;
    // the bot with Node's defaults
    expect(scripts.muster).toBe('node --max-semi-space-size=1 --interrupt-budget=1081344 dist/muster.cjs');
    expect(scripts.start).toBe('node dist/cli.js start');
    expect(scripts.sandbox).toBe('node dist/cli.js sandbox');
  });
});
