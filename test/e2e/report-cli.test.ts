/**
 * `muster report` as operators run it: the built `node dist/cli.js report` against the SQLite database the real
 * app wrote while incidents were declared, paged, acknowledged in PagerDuty, mitigated and resolved. The CLI
 * reads the wall clock, so the story is told in the days just before now.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lint } from 'markdownlint/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { musterCommand } from '../support/muster-process.js';
import { type PagingWorld, startPagingWorld, WEBHOOK_SECRET } from '../support/paging-world.js';
import { removeTempDirs } from '../support/temp-dir.js';

const DAY = 86_400_000;
const MIN = 60_000;
const ZONE = 'Europe/Berlin';

let world: PagingWorld;

/** Runs `muster report <args>` on the app's database, with the app's time zone. */
const report = (...args: string[]) =>
  spawnSync(...musterCommand('report', ...args), {
    cwd: world.h.dir,
    env: { PATH: process.env.PATH, DATABASE_URL: world.h.dbFile, INCIDENT_TIMEZONE: ZONE },
    encoding: 'utf8',
  });

const json = (...args: string[]) => {
  const r = report('--format', 'json', ...args);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
};

beforeAll(async () => {
  world = await startPagingWorld({ env: { INCIDENT_TIMEZONE: ZONE } });
  const now = Date.now();

  // INC-1, twenty days ago: a SEV-3 resolved after 30 minutes, nobody paged
  world.clock.set(now - 20 * DAY);
  const old = await world.declare('sev3 search glitch');
  world.clock.advanceMinutes(30);
  await world.inChannel(old, 'resolve');
  await world.h.idle();

  // INC-2, three days ago: checkout paged at once, acknowledged 3 min later, mitigated at 10, resolved at 40
  world.clock.set(now - 3 * DAY);
  const two = await world.declare('sev2 =cmd checkout, "500s" | `pool` 🔥');
  await world.inChannel(two, 'page checkout');
  await world.h.idle();
  world.clock.advanceMinutes(3);
  const pd = world.pd.incidentsFor(`muster-inc-${two.number}-checkout`)[0]!;
  const ack = await world.pd.sendWebhook('incident.acknowledged', pd.id, {
    url: world.webhookUrl,
    secret: WEBHOOK_SECRET,
  });
  expect(ack.status).toBe(202);
  await world.h.idle();
  world.clock.advanceMinutes(7);
  await world.inChannel(two, 'status monitoring');
  const due = new Date(now - 2 * DAY).toISOString().slice(0, 10);
  await world.inChannel(two, `action add retries to the pool client due ${due}`);
  await world.inChannel(two, 'action write the load test');
  world.clock.advanceMinutes(30);
  await world.inChannel(two, 'resolve rolled back');
  await world.h.idle();

  // INC-3, two days ago: private, still open
  world.clock.set(now - 2 * DAY);
  await world.h.command('declare sev1 --private payroll export leaks');
  await world.h.idle();
});

afterAll(async () => {
  await world?.stop();
  removeTempDirs();
});

describe('muster report', () => {
  it('writes markdown by default: the window, the figures, the incidents; private ones left out', () => {
    const r = report('--since', '7d');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const md = r.stdout;
    expect(md).toMatch(/^# Incident report\n/);
    expect(md).toContain('(Europe/Berlin). Private incidents are left out');
    expect(md).toMatch(
      /\| INC-2 \| \\=cmd checkout, "500s" \\\| \\`pool\\` 🔥 \| SEV-2 \| resolved \| checkout \| [\d-]+ [\d:]+ \| [\d-]+ [\d:]+ \| [\d-]+ [\d:]+ \| [\d-]+ [\d:]+ \| 3 min \| 10 min \| 40 min \| 1 \| 0 \| 2 \| 1 \|/,
    );
    expect(md).toContain('| All | 1 | 3 min | 3 min | 1 | 10 min | 10 min | 1 | 40 min | 40 min | 1 |');
    expect(md).toContain('- Overdue: 1');
    expect(md).toContain('- Pages sent: 1');
    expect(md).not.toContain('INC-1');
    expect(md).not.toContain('payroll');
  });

  it('includes private incidents with --include-private, and says the report must stay with them', () => {
    const r = report('--since', '7d', '--include-private');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('| INC-3 (private) | payroll export leaks | SEV-1 | investigating |');
    expect(r.stdout).toContain(
      'Private incidents are included: do not share this report outside their channels.',
    );
    const problems = lint({ strings: { report: r.stdout }, config: { default: true, MD013: false } }).report!;
    expect(problems.map((e) => `${e.lineNumber}: ${e.ruleNames.join('/')}`)).toEqual([]);
    const all = json('--since', '30d', '--include-private');
    expect(all.incidents.map((i: { number: number }) => i.number)).toEqual([1, 2, 3]);
    expect(all.incidents[2]).toMatchObject({
      private: true,
      title: 'payroll export leaks',
      resolvedAt: null,
    });
    expect(json('--since', '30d').incidents.map((i: { number: number }) => i.number)).toEqual([1, 2]);
  });

  it('writes the documented JSON, with the times the postmortem reports', () => {
    const j = json('--since', '30d', '--severity', 'sev2,3');
    expect(j).toMatchObject({ report: 'muster.incident-report', version: 1 });
    expect(j.window.timeZone).toBe(ZONE);
    expect(j.filters).toEqual({ services: null, severities: [2, 3], includePrivate: false });
    const two = j.incidents.find((i: { number: number }) => i.number === 2);
    expect(two).toMatchObject({
      ref: 'INC-2',
      title: '=cmd checkout, "500s" | `pool` 🔥',
      severity: 2,
      status: 'resolved',
      services: ['checkout'],
      ttaMs: 3 * MIN,
      ttmMs: 10 * MIN,
      ttrMs: 40 * MIN,
      pages: 1,
      pagesAcknowledged: 1,
      escalations: 0,
      actions: { opened: 2, closed: 0, overdue: 1 },
    });
    expect(Date.parse(two.resolvedAt) - Date.parse(two.declaredAt)).toBe(40 * MIN);
    expect(j.overall.ttr).toEqual({ count: 2, medianMs: 35 * MIN, p90Ms: 40 * MIN });
    expect(j.pages).toEqual({ total: 1, acknowledged: 1, escalations: 0 });
    expect(j.actions).toEqual({ opened: 2, closed: 0, overdue: 1, open: 2, completion: 0 });
    // every week of the window, the empty ones too: 30 days span five or six ISO weeks
    expect(j.weeks.length).toBeGreaterThanOrEqual(5);
    expect(j.weeks.reduce((n: number, w: { incidents: number }) => n + w.incidents, 0)).toBe(2);
    expect(j.weeks.filter((w: { incidents: number }) => w.incidents === 0).length).toBeGreaterThanOrEqual(3);
  });

  it('writes CSV, a row per incident, formulas defused; --service matches without case', () => {
    const r = report('--since', '30d', '--format', 'csv', '--service', 'CHECKOUT');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\r\n');
    expect(lines[0]).toMatch(/^number,ref,title,severity,status,private,services,channel,declared_at,/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^2,INC-2,"'=cmd checkout, ""500s"" \| `pool` 🔥",2,resolved,false,checkout,/);
    expect(lines[1]).toContain(',180000,600000,2400000,0,1,1,0,2,0,1');
    expect(lines[2]).toBe('');
  });

  it('writes to --out and says where; says so when no incident matches', () => {
    const out = join(world.h.dir, 'report.md');
    const r = report('--since', '7d', '--out', out);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`wrote the report of 1 incident to ${out}\n`);
    expect(readFileSync(out, 'utf8')).toContain('| INC-2 |');

    const none = report('--service', 'no-such-service');
    expect(none.status).toBe(0);
    expect(none.stderr).toBe('muster: no incidents declared in the window match the report\n');
    expect(none.stdout).toContain('No incidents were declared in this window that match the report.');
  });

  // Every refusal is in test/adapters/report/report-args.test.ts; here, one of each kind through the real
  // process: the line on standard error and the exit code.
  const bad: [string[], string][] = [
    [['--bogus'], 'unknown option "--bogus" for report'],
    [['--since', 'yesterday'], '--since "yesterday" is not a window'],
    [['--format', 'pdf'], '--format "pdf" is not a format: use md, csv or json.'],
  ];
  it.each(bad)('refuses %j in one line on standard error, exit 1', (args, message) => {
    const r = report(...args);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith(`muster: ${message}`)).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
