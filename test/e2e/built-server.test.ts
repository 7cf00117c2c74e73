/**
 * The built server, as `npm start` and `npm run muster --` run it: `node dist/cli.js`, started from another
 * folder, so templates, migrations and the render worker must be found from the installation. dist/ is
 * built before the tier when it is stale (test/support/build-global-setup.ts).
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
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
import { openDb } from '../../src/adapters/store/db.js';
import { Store } from '../../src/adapters/store/store.js';

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

/** An installation of the built CommonJS files of its own, sharing the repository's node_modules, templates and migrations. */
function installation(): string {
  const root = join(import.meta.dirname, '../..');
  const dir = tempDir();
  mkdirSync(join(dir, 'dist'));
  for (const f of readdirSync(join(root, 'dist')).filter((n) => n.endsWith('.cjs')))
    copyFileSync(join(root, 'dist', f), join(dir, 'dist', f));
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
  for (const d of ['node_modules', 'migrations', 'templates']) symlinkSync(join(root, d), join(dir, d));
  return dir;
}

async function seedIncident(file: string): Promise<void> {
  const store = new Store(openDb(file));
  const at = Date.UTC(2026, 10, 3, 9, 0);
  const incident = await store.incidents.create({
    title: 'Checkout & cart return 502',
    severity: 2,
    teamId: 'T0MUSTER',
    declaredBy: 'U0ALICE',
    declaredAt: at,
  });
  for (let i = 0; i < 50; i++)
    await store.timeline.add(
      {
        incidentNumber: incident.number,
        kind: 'note',
        text: `step ${i}: *p99* up <https://grafana.example/d/${i}|panel ${i}>`,
        actor: 'U0ALICE',
        occurredAt: at + i * 60_000,
        sourceKey: `seed-${i}`,
        meta: {},
      },
      at + i * 60_000,
    );
  await store.close();
}

describe('muster export compiled with its code cache (dist/muster.cjs)', () => {
  it('writes the cache after an export and starts the next from it; a refused or unwritable cache changes nothing but speed', async () => {
    const install = installation();
    // code compiled by vm.Script with a cache cannot import(): the export's lazily loaded parts are required
    expect(readFileSync(join(install, 'dist/export.cjs'), 'utf8')).not.toMatch(/\bimport\(/);
    const dbFile = join(tempDir(), 'muster.db');
    await seedIncident(dbFile);
    const exportOnce = () => {
      const r = spawnSync(process.execPath, [join(install, 'dist/muster.cjs'), 'export', 'INC-1'], {
        cwd: install,
        env: { PATH: process.env.PATH, DATABASE_URL: dbFile },
        encoding: 'utf8',
      });
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
      return r.stdout.replace(/\d{4}-\d\d-\d\d \d\d:\d\d/g, 'T').replace(/\d+ (d|h|min|s)\b/g, 'D');
    };
    const caches = () => readdirSync(join(install, 'dist')).filter((n) => !n.endsWith('.cjs'));

    const first = exportOnce();
    expect(first).toContain('step 49: **p99** up [panel 49](https://grafana.example/d/49)');
    expect(caches()).toEqual([expect.stringMatching(/^export\.[0-9a-f]{8}\.cache$/)]);
    const cache = join(install, 'dist', caches()[0]!);
    const written = readFileSync(cache);

    // accepted: read, not written again
    expect(exportOnce()).toBe(first);
    expect(readFileSync(cache).equals(written)).toBe(true);

    // refused by V8 (another build's or damaged): compiled afresh, then replaced
    writeFileSync(cache, 'not a code cache');
    expect(exportOnce()).toBe(first);
    expect(readFileSync(cache).length).toBeGreaterThan(1000);

    // cannot be written (here a folder stands in its place): the export is the same, and leaves nothing behind
    rmSync(cache);
    mkdirSync(cache);
    expect(exportOnce()).toBe(first);
    expect(caches()).toEqual([caches()[0]]);
  });
});
