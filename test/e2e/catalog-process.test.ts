/**
 * Issue 6 as an operator sees it: `muster start` as a real process. The catalog is reloaded on SIGHUP (a
 * broken edit keeps the catalog in force and the process running), and an `${ENV}` reference that is not set
 * stops the bot's start-up with one line and exit code 1. Issue 15: the sandbox and `muster runbook`, which page
 * nobody, load such a catalog with a warning, so catalog.example.yaml works as copied.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';
import { waitUntil } from '../adapters/catalog/wait-until.js';
import { SIGNING_SECRET } from '../support/muster-harness.js';
import { type MusterProcess, musterCommand, startMusterProcess } from '../support/muster-process.js';
import { signedHeaders } from '../support/sign.js';
import { removeTempDirs, tempDir } from '../support/temp-dir.js';

const running: { child: ChildProcess; slack: FakeSlack | null }[] = [];

afterEach(async () => {
  for (const { child, slack } of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    await slack?.close();
  }
});
afterAll(() => removeTempDirs());

const service = (name: string, owner: string) => `  - name: ${name}\n    owner: ${owner}\n`;

interface Muster extends MusterProcess {
  /** `/incident <text>` from #general, signed as Slack signs it; the answer's text */
  command(text: string): Promise<string>;
}

/** Runs `muster start` with Slack credentials against a fake Slack; resolves once it listens. */
async function startProcess(dir: string, env: Record<string, string>): Promise<Muster> {
  const slack = await startFakeSlack();
  let muster: MusterProcess;
  try {
    muster = await startMusterProcess(
      {
        SLACK_BOT_TOKEN: slack.token,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        DATABASE_URL: join(dir, 'muster.db'),
        LOG_LEVEL: 'info',
        ...env,
      },
      dir,
    );
  } catch (e) {
    await slack.close();
    throw e;
  }
  running.push({ child: muster.child, slack });
  return {
    ...muster,
    async command(text) {
      const body = new URLSearchParams({
        team_id: 'T0MUSTER',
        channel_id: 'C0GENERAL',
        user_id: 'U0ALICE',
        user_name: 'alice',
        command: '/incident',
        text,
        response_url: slack.responseUrl(),
        trigger_id: '1.2.trigger',
      }).toString();
      const r = await fetch(`${muster.url}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...signedHeaders(SIGNING_SECRET, body),
        },
        body,
      });
      expect(r.status).toBe(200);
      return String(((await r.json()) as { text?: string }).text);
    },
  };
}

/** The messages of the JSON log lines the process wrote. */
const logMessages = (output: string): string[] =>
  output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => String((JSON.parse(l) as { msg?: string }).msg));

/** Runs `muster <args>` in `dir` with exactly `env` (plus PATH, and PORT and METRICS_PORT 0) to its end. */
const run = (dir: string, args: string[], env: Record<string, string>) =>
  new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(...musterCommand(...args), {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', PORT: '0', METRICS_PORT: '0', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    running.push({ child, slack: null });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.once('exit', (code) => resolve({ code, stderr }));
  });

// Each run starts a node process with tsx's loader; a loaded machine needs more than the default 30 s.
describe('muster start as a process', { timeout: 60_000 }, () => {
  it('reloads the catalog on SIGHUP, and a broken reload keeps the catalog in force', async () => {
    const dir = tempDir();
    // CATALOG_PATH is a symbolic link to a file in another folder, as configuration tools often deploy it.
    // Editing that file changes nothing in the folder Muster watches (conf/), so only SIGHUP reloads it here.
    mkdirSync(join(dir, 'conf'));
    mkdirSync(join(dir, 'deployed'));
    const target = join(dir, 'deployed', 'catalog.yaml');
    writeFileSync(target, `services:\n${service('checkout', 'Storefront')}`);
    symlinkSync(target, join(dir, 'conf', 'catalog.yaml'));
    const muster = await startProcess(dir, { CATALOG_PATH: join(dir, 'conf', 'catalog.yaml') });
    expect(await muster.command('services')).toContain('*Service catalog* · 1 service');

    writeFileSync(
      target,
      `services:\n${service('checkout', 'Storefront')}${service('inventory', 'Warehouse')}`,
    );
    const reloads = () => logMessages(muster.output()).filter((m) => m === 'catalog reload on SIGHUP').length;
    muster.child.kill('SIGHUP');
    await waitUntil(() => reloads() === 1, 'the first SIGHUP is handled', 15_000);
    const after = await muster.command('services');
    expect(after).toContain('2 services');
    expect(after).toContain('*inventory*\nOwner: Warehouse');

    writeFileSync(target, 'services:\n  - name: checkout\n    owner: [Storefront\n');
    muster.child.kill('SIGHUP');
    await waitUntil(() => reloads() === 2, 'the second SIGHUP is handled', 15_000);
    expect(logMessages(muster.output())).toContainEqual(
      expect.stringMatching(
        /^catalog: reload failed, keeping the previous catalog \(2 services\): .*invalid YAML/,
      ),
    );
    // Still running, with the catalog it had.
    expect(await muster.command('services')).toContain('2 services');

    muster.child.kill('SIGTERM');
    expect(await muster.exited).toBe(0);
  });

  it('the bot refuses a catalog whose routing key is not set; the sandbox, which pages nobody, starts with a warning', async () => {
    const dir = tempDir();
    const catalogPath = join(dir, 'catalog.yaml');
    writeFileSync(
      catalogPath,
      `services:\n${service('checkout', 'Storefront')}    pagerduty:\n      routing_key: \${PD_CHECKOUT_KEY}\n`,
    );
    const env = { DATABASE_URL: join(dir, 'muster.db'), CATALOG_PATH: catalogPath };
    const [withSlack, sandbox] = await Promise.all([
      run(dir, ['start'], { ...env, SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: SIGNING_SECRET }),
      startMusterProcess(env, dir),
    ]);
    running.push({ child: sandbox.child, slack: null });
    const problem = `${catalogPath}:5:20: services[0].pagerduty.routing_key: \${PD_CHECKOUT_KEY} is not set: set the environment variable PD_CHECKOUT_KEY or write the value`;
    expect(withSlack.code).toBe(1);
    expect(withSlack.stderr).toBe(`muster: could not start: ${problem}\n`);
    expect(sandbox.output()).toContain('Muster is running in sandbox mode');
    const warning = `catalog: ${catalogPath}: PD_CHECKOUT_KEY is not set, so the PagerDuty target of checkout is left out and cannot be paged here; set it before running the bot, which refuses to start without it`;
    // The log is written asynchronously: its lines may follow the ready message.
    await waitUntil(() => logMessages(sandbox.output()).includes(warning), 'the sandbox warns', 15_000);
    sandbox.child.kill('SIGTERM');
    expect(await sandbox.exited).toBe(0);
  });

  it('a fresh clone with catalog.example.yaml copied to catalog.yaml: runbook and sandbox work, the bot lists every problem', async () => {
    // The folder a newcomer has: the example copied as it is, its runbooks beside it, no variable set.
    const dir = tempDir();
    copyFileSync('catalog.example.yaml', join(dir, 'catalog.yaml'));
    cpSync('runbooks', join(dir, 'runbooks'), { recursive: true });
    const variables =
      'PAGERDUTY_CHECKOUT_ROUTING_KEY, PAGERDUTY_PAYMENTS_ROUTING_KEY, PAGERDUTY_AUTH_ROUTING_KEY and PAGERDUTY_NOTIFICATIONS_ROUTING_KEY';
    const warning = `catalog: ./catalog.yaml: ${variables} are not set, so the PagerDuty targets of checkout, payments, auth and notifications are left out and cannot be paged here; set them before running the bot, which refuses to start without them`;

    const [runbook, bot, sandbox] = await Promise.all([
      run(dir, ['runbook', 'checkout'], {}),
      run(dir, ['start'], { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: SIGNING_SECRET }),
      startMusterProcess({}, dir),
    ]);
    running.push({ child: sandbox.child, slack: null });

    expect(runbook.code).toBe(0);
    expect(runbook.stderr).toBe(`muster: ${warning}\n`);
    const written = readFileSync(join(dir, 'runbooks', 'checkout.md'), 'utf8');
    expect(written).toContain(
      'PagerDuty service `P1CHKOT`, escalation policy `PSTOREF`, and an Events API v2 integration',
    );
    expect(written).toContain('Muster posts once in the incident channel with an **Escalate** button');

    expect(bot.code).toBe(1);
    const lines = bot.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('muster: could not start: the catalog has 4 problems:');
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(
        /^ {2}\.\/catalog\.yaml:\d+:20: services\[0\]\.pagerduty\.routing_key: \$\{PAGERDUTY_CHECKOUT_ROUTING_KEY\} is not set/,
      ),
      expect.stringMatching(
        /^ {2}\.\/catalog\.yaml:\d+:20: services\[1\]\.pagerduty\.routing_key: \$\{PAGERDUTY_PAYMENTS_ROUTING_KEY\} is not set/,
      ),
      expect.stringMatching(
        /^ {2}\.\/catalog\.yaml:\d+:20: services\[3\]\.pagerduty\.routing_key: \$\{PAGERDUTY_AUTH_ROUTING_KEY\} is not set/,
      ),
      expect.stringMatching(
        /^ {2}\.\/catalog\.yaml:\d+:20: services\[4\]\.pagerduty\.routing_key: \$\{PAGERDUTY_NOTIFICATIONS_ROUTING_KEY\} is not set/,
      ),
    ]);

    expect(sandbox.output()).toContain('catalog: ./catalog.yaml.');
    // The log is written asynchronously: its lines may follow the ready message.
    await waitUntil(
      () => logMessages(sandbox.output()).includes('catalog: 5 services loaded from ./catalog.yaml'),
      'the sandbox logs the catalog it loaded',
      15_000,
    );
    expect(logMessages(sandbox.output())).toContain(warning);
    sandbox.child.kill('SIGTERM');
    expect(await sandbox.exited).toBe(0);
  });
});
