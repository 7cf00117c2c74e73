/**
 * Issue 6 as an operator sees it: `muster start` as a real process. The catalog is reloaded on SIGHUP (a
 * broken edit keeps the catalog in force and the process running), and an `${ENV}` reference that is not set
 * stops start-up with one line and exit code 1.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('stops start-up with one line and exit code 1 when a variable the catalog refers to is not set', async () => {
    const dir = tempDir();
    const catalogPath = join(dir, 'catalog.yaml');
    writeFileSync(
      catalogPath,
      `services:\n${service('checkout', 'Storefront')}    pagerduty:\n      routing_key: \${PD_CHECKOUT_KEY}\n`,
    );
    const run = (env: Record<string, string>) =>
      new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn(...musterCommand('start'), {
          cwd: dir,
          env: {
            PATH: process.env.PATH ?? '',
            DATABASE_URL: join(dir, 'muster.db'),
            CATALOG_PATH: catalogPath,
            PORT: '0',
            METRICS_PORT: '0',
            ...env,
          },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        running.push({ child, slack: null });
        let stderr = '';
        child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('error', reject);
        child.once('exit', (code) => resolve({ code, stderr }));
      });
    const [withSlack, sandbox] = await Promise.all([
      run({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: SIGNING_SECRET }),
      // Without Slack credentials the sandbox starts, with the same catalog and the same refusal.
      run({}),
    ]);
    const problem = `${catalogPath}:5:20: services[0].pagerduty.routing_key: \${PD_CHECKOUT_KEY} is not set: set the environment variable PD_CHECKOUT_KEY or write the value`;
    expect(withSlack.code).toBe(1);
    expect(withSlack.stderr).toBe(`muster: could not start: ${problem}\n`);
    expect(sandbox.code).toBe(1);
    expect(sandbox.stderr).toBe(`muster: could not start the sandbox: ${problem}\n`);
  });
});
