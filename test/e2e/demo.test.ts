/**
 * `npm run muster -- demo` as a person runs it: a subprocess in an empty folder, no Slack or PagerDuty
 * settings. It plays the scripted incident through the sandbox and writes ./postmortem-INC-1.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../support/temp-dir.js';
import { musterCommand, queryFile } from '../support/muster-process.js';

afterAll(() => removeTempDirs());

describe('muster demo', () => {
  it('runs a whole incident against the sandbox and writes its postmortem', () => {
    const dir = tempDir('muster-demo-test-');
    const run = spawnSync(...musterCommand('demo'), {
      cwd: dir,
      // the demo runs on a sandbox database of its own: the bot's DATABASE_URL is never opened
      env: { PATH: process.env.PATH, INCIDENT_TIMEZONE: 'UTC', DATABASE_URL: join(dir, 'bot', 'muster.db') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = run.stdout;
    expect(out).toContain('INC-1: Checkout returns 502 on order placement');
    expect(out).toMatch(/SEV-2 · resolved · lasted 4\d min/);
    expect(out).toMatch(/Communications Lead\s+Dave Okafor/);
    expect(out).toMatch(/Scribe\s+Carol Nguyen/);
    expect(out).toMatch(/Pages\s+checkout \(resolved, acknowledged by Bob Martinez\)/);
    expect(out).toMatch(
      /Action items\s+p1 Add a canary stage to checkout-api deploys \(acme\/storefront#1, open\); p2 Alert when payment errors exceed 5% for 2 minutes \(acme\/storefront#2, done\)/,
    );
    expect(out).toContain('Postmortem written to ./postmortem-INC-1.md');
    expect(out).toContain('Try it yourself: npm run sandbox, then open http://127.0.0.1:3000/');
    expect(out.split('\n').length).toBeLessThan(30);
    expect(readdirSync(dir)).toEqual(['postmortem-INC-1.md']);

    const file = join(dir, 'postmortem-INC-1.md');
    expect(existsSync(file)).toBe(true);
    const md = readFileSync(file, 'utf8');
    expect(md).toMatch(/^# INC-1: Checkout returns 502 on order placement\n/);
    expect(md).toContain('SEV-2');
    expect(md).toMatch(/\| Alice \| Incident Commander /);
    expect(md).toMatch(/\| Carol \| Scribe /);
    // the pinned messages, the page and its acknowledgement, the note, the update, the actions, the resolution
    expect(md).toContain('Error rate on /orders jumped to 35%');
    expect(md).toContain('Rollback finished; the error rate is back to 0.4%.');
    expect(md).toMatch(/Paged checkout/);
    // PagerDuty's Bob Martinez is found in Slack by his email: the postmortem names him as Slack does, once
    expect(md).toMatch(/\| Page acknowledged \| checkout, by @Bob after 2 min \|/);
    // The demo runs on the wall clock: a moment after midnight UTC, on the incident's second day, is written
    // with its date (`2026-12-07 00:01`), one before it as the time alone.
    expect(md).toMatch(
      /\| Bob \| Technical Lead \(since (\d{4}-\d\d-\d\d )?\d\d:\d\d\) \| posted 2 messages; 1 note; was paged for checkout; acknowledged the checkout page \|/,
    );
    expect(md).not.toMatch(/Bob Martinez/);
    // Muster's own messages do not make it a responder
    expect(md).not.toMatch(/^\| Muster \|/m);
    expect(md).toContain('Rolling back checkout-api to 2024.11.2');
    expect(md).toContain('About a third of card orders fail at checkout.');
    // the action items became issues in the sandbox's GitHub (unlinked: the sandbox is gone); Carol closed hers
    expect(md).toMatch(
      /\| P1 \| Add a canary stage to checkout-api deploys \(acme\/storefront#1\) \| Bob \| [\d-]+ \| no \|/,
    );
    expect(md).toMatch(
      /\| P2 \| Alert when payment errors exceed 5% for 2 minutes \(acme\/storefront#2\) \| Carol \| [\d-]+ \| yes/,
    );
    expect(md).toMatch(
      /done: Alert when payment errors exceed 5% for 2 minutes \(acme\/storefront#2 closed in GitHub by Carol Nguyen\)/,
    );
    expect(md).toContain('Rolled back checkout-api 2024.11.3');
    expect(md).toMatch(/Time to resolve \(TTR\) \| declared \| resolved \| 4\d min/);
    // PagerDuty acknowledged two minutes of incident time after the page; monitoring began at minute 21
    expect(md).toMatch(/Time to acknowledge \(TTA\) \| first page \| first acknowledgement \| 2 min/);
    expect(md).toMatch(
      /\| checkout \| (\d{4}-\d\d-\d\d )?\d\d:\d\d \| Alice \| Resolved \| Bob \| (\d{4}-\d\d-\d\d )?\d\d:\d\d \| 2 min \|/,
    );
    expect(md).toMatch(/Time to mitigate \(TTM\) \| declared \| mitigated \| 2\d min/);
    // no link into the demo's sandbox, which is gone once the demo ends; links that stay valid are kept
    expect(md).not.toMatch(/127\.0\.0\.1|localhost|\[in Slack\]/);
    expect(md).toMatch(/- \*\*Runbooks linked:\*\* .*Checkout returns 5xx \(checkout\), by Muster/);
    expect(md).toContain(
      '[Checkout latency dashboard](https://grafana.example.com/d/checkout/checkout-overview)',
    );
    expect(md).toMatch(/\| Error rate on \/orders jumped to 35%[^|\n]*new payment client\. \|/);
    expect(md).toMatch(
      /\| Investigating \| \d+ min \| 1 \|\n\| Identified \| \d+ min \| 1 \|\n\| Monitoring \| 2\d min \| 1 \|/,
    );
  });

  it('keeps the sandbox with --db FILE, its workspace beside it, whatever SANDBOX_STATE_FILE says', () => {
    const dir = tempDir('muster-demo-test-');
    const kept = join(dir, 'kept', 'demo.db');
    const run = spawnSync(...musterCommand('demo', '--db', kept), {
      cwd: dir,
      // a state file set for `npm run sandbox` is not the demo's: it is never written
      env: { PATH: process.env.PATH, SANDBOX_STATE_FILE: join(dir, 'mine', 'workspace.db') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const workspace = join(dir, 'kept', 'demo-workspace.db');
    expect(run.stdout).toContain(
      `The sandbox is kept in ${kept} and its workspace in ${workspace}: SANDBOX_DATABASE_URL=${kept} npm run sandbox shows it.`,
    );
    expect(readdirSync(dir).sort()).toEqual(['kept', 'postmortem-INC-1.md']);
    expect(readdirSync(join(dir, 'kept')).sort()).toEqual(['demo-workspace.db', 'demo.db']);
    expect(queryFile(kept, 'select title from incidents')).toEqual([
      { title: 'Checkout returns 502 on order placement' },
    ]);
    expect(queryFile(kept, "select name from sqlite_master where name like '%sandbox%'")).toEqual([]);
    expect(queryFile(workspace, 'select key from sandbox_workspace')).toEqual([{ key: 'slack_workspace' }]);
  });
});
