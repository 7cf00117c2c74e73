/** `muster report` arguments: what is accepted, and one clear line for each mistake. */
import { describe, expect, it } from 'vitest';
import { parseReportArgs, parseSince, ReportArgsError } from '../../../src/adapters/report/report-args.js';

// Sunday 2026-12-06 15:00 in Berlin (CET, UTC+1)
const NOW = Date.UTC(2026, 11, 6, 14, 0);
const ctx = { now: NOW, timeZone: 'Europe/Berlin' };
const parse = (...args: string[]) => parseReportArgs(args, ctx);

describe('parseSince', () => {
  it('counts days and weeks back on the calendar of the zone, across a change of daylight saving time', () => {
    // 90 days before 2026-12-06 15:00 CET is 2026-09-07 15:00 CEST (UTC+2): 13:00 UTC, not 14:00
    expect(parseSince('90d', NOW, 'Europe/Berlin')).toBe(Date.UTC(2026, 8, 7, 13, 0));
    expect(parseSince('12w', NOW, 'Europe/Berlin')).toBe(Date.UTC(2026, 8, 13, 13, 0));
    expect(parseSince('1D', NOW, 'Europe/Berlin')).toBe(Date.UTC(2026, 11, 5, 14, 0));
  });

  it('starts a date at 00:00 in the zone; today is allowed', () => {
    expect(parseSince('2026-09-01', NOW, 'Europe/Berlin')).toBe(Date.UTC(2026, 7, 31, 22, 0));
    expect(parseSince('2026-12-06', NOW, 'Europe/Berlin')).toBe(Date.UTC(2026, 11, 5, 23, 0));
    expect(parseSince('2026-09-01', NOW, 'UTC')).toBe(Date.UTC(2026, 8, 1));
  });

  const bad: [string, string][] = [
    ['0d', '--since 0d is an empty window: use 1d or more.'],
    ['0w', '--since 0w is an empty window: use 1d or more.'],
    ['3661d', '--since 3661d is too long: at most 3660d (ten years).'],
    ['523w', '--since 523w is too long: at most 3660d (ten years).'],
    ['2026-12-07', '--since 2026-12-07 is in the future (today is 2026-12-06 in Europe/Berlin).'],
    ['2026-02-30', '--since 2026-02-30 is not a date on the calendar.'],
    ['90', '--since "90" is not a window: use a number of days or weeks (90d, 12w) or a date (2026-09-01).'],
    [
      '3 months',
      '--since "3 months" is not a window: use a number of days or weeks (90d, 12w) or a date (2026-09-01).',
    ],
    [
      '-5d',
      '--since "-5d" is not a window: use a number of days or weeks (90d, 12w) or a date (2026-09-01).',
    ],
    [
      '2026-9-1',
      '--since "2026-9-1" is not a window: use a number of days or weeks (90d, 12w) or a date (2026-09-01).',
    ],
  ];
  it.each(bad)('refuses %j', (text, message) => {
    expect(() => parseSince(text, NOW, 'Europe/Berlin')).toThrow(new ReportArgsError(message));
  });
});

describe('parseReportArgs', () => {
  it('defaults to the last 90 days, markdown, every service and severity, no private incidents', () => {
    expect(parse()).toEqual({
      since: Date.UTC(2026, 8, 7, 13, 0),
      services: [],
      severities: [],
      format: 'md',
      includePrivate: false,
      out: null,
    });
  });

  it('reads every option, with a space or `=`, lists comma-separated or repeated', () => {
    expect(
      parse(
        '--since=2026-09-01',
        '--service',
        'checkout, search',
        '--service=billing',
        '--severity',
        'sev1,2',
        '--severity=SEV-4',
        '--format',
        'JSON',
        '--include-private',
        '--out',
        'report.json',
      ),
    ).toEqual({
      since: Date.UTC(2026, 7, 31, 22, 0),
      services: ['checkout', 'search', 'billing'],
      severities: [1, 2, 4],
      format: 'json',
      includePrivate: true,
      out: 'report.json',
    });
    expect(parse('--format', 'csv').format).toBe('csv');
    expect(parse('--severity', 'sev2,2,sev-2').severities).toEqual([2]);
  });

  const bad: [string[], string][] = [
    [
      ['--bogus'],
      'unknown option "--bogus" for report: use --since, --service, --severity, --format, --include-private or --out.',
    ],
    [
      ['--since-when=3d'],
      'unknown option "--since-when" for report: use --since, --service, --severity, --format, --include-private or --out.',
    ],
    [['INC-4'], 'report takes options only; "INC-4" is not one (see `muster help`).'],
    [['--since'], '--since needs a value.'],
    [['--since', '--format', 'md'], '--since needs a value.'],
    [['--since='], '--since needs a value.'],
    [['--service', ' , '], '--service needs a value.'],
    [['--out'], '--out needs a value.'],
    [['--since', '3d', '--since', '4d'], '--since is given twice.'],
    [['--format', 'md', '--format', 'csv'], '--format is given twice.'],
    [
      ['--severity', 'sev5'],
      '--severity: "sev5" is not a severity: use 1, 2, 3 or 4 (sev1 is the most severe).',
    ],
    [
      ['--severity', 'high'],
      '--severity: "high" is not a severity: use 1, 2, 3 or 4 (sev1 is the most severe).',
    ],
    [['--format', 'xml'], '--format "xml" is not a format: use md, csv or json.'],
    [['--format', 'markdown'], '--format "markdown" is not a format: use md, csv or json.'],
    [['--include-private=yes'], '--include-private takes no value.'],
    [['--since', '0d'], '--since 0d is an empty window: use 1d or more.'],
    [
      ['--since', '2027-01-01'],
      '--since 2027-01-01 is in the future (today is 2026-12-06 in Europe/Berlin).',
    ],
  ];
  it.each(bad)('refuses %j with one line', (args, message) => {
    expect(() => parse(...args)).toThrow(new ReportArgsError(message));
    expect(message).not.toContain('\n');
  });
});
