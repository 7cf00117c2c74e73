/**
 * The report's three renderings with hostile titles: a 40,000-character title, `|` and backticks in a
 * markdown table, commas, quotes, line breaks and formulas in CSV, emoji at a cut; and the JSON fields
 * docs/report.md documents.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lint } from 'markdownlint/sync';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvField, reportCsv } from '../../../src/adapters/report/report-csv.js';
import { reportJson, reportJsonObject } from '../../../src/adapters/report/report-json.js';
import { MARKDOWN_TITLE_MAX, reportMarkdown } from '../../../src/adapters/report/report-markdown.js';
import {
  type IncidentReport,
  type ReportIncident,
  summarizeReport,
} from '../../../src/domain/incident-report.js';

const DOC = fileURLToPath(new URL('../../../docs/report.md', import.meta.url));
const MIN = 60_000;
// Monday 2026-11-23 10:00 in Berlin (CET)
const T0 = Date.UTC(2026, 10, 23, 9, 0);

const LONG = `${'pool | `exhausted` '.repeat(2105)}🔥🔥`.slice(0, 39_998) + '🔥';
const HOSTILE: [number, string][] = [
  [1, LONG],
  [2, 'checkout | `rm -rf` | <b>bold</b> [link](javascript:alert(1)) # not a heading'],
  [3, '=HYPERLINK("https://evil.example","click"), then "quote"\nsecond line'],
  [4, '+SUM(A1:A9)'],
  [5, '-1+2'],
  [6, '@cmd'],
  [7, '<@U0ALICE> says &lt;5 min &amp; 🧑🏽‍💻 fixed it'],
  [8, '# heading?\n> quote?'],
];

const line = (number: number, title: string, over: Partial<ReportIncident> = {}): ReportIncident => ({
  number,
  title,
  severity: ((number % 4) + 1) as ReportIncident['severity'],
  status: 'resolved',
  private: number === 8,
  channelId: `C${number}`,
  channelName: `inc-${number}-x`,
  services: number % 2 ? ['checkout'] : ['=search', 'pay|ments'],
  declaredAt: T0 + number * MIN,
  acknowledgedAt: number % 3 ? T0 + (number + 5) * MIN : null,
  mitigatedAt: T0 + (number + 20) * MIN,
  resolvedAt: T0 + (number + 65) * MIN,
  tta: number % 3 ? 5 * MIN : null,
  ttm: 20 * MIN,
  ttr: 65 * MIN,
  reopened: number === 2 ? 1 : 0,
  pages: 1,
  pagesAcknowledged: number % 3 ? 1 : 0,
  escalations: 0,
  actions: { opened: 1, closed: 0, overdue: 1 },
  actionItems: [{ id: number, createdAt: T0 + (number + 70) * MIN, doneAt: null, due: '2026-11-01' }],
  ...over,
});

const WEEKS = [
  { week: '2026-W47', start: Date.UTC(2026, 10, 15, 23) },
  { week: '2026-W48', start: Date.UTC(2026, 10, 22, 23) },
];

const report = (incidents: ReportIncident[], includePrivate = true): IncidentReport =>
  summarizeReport(incidents, {
    since: Date.UTC(2026, 10, 16),
    until: T0 + 3 * 60 * MIN,
    timeZone: 'Europe/Berlin',
    weeks: WEEKS,
    weekOf: (ms) => (ms >= WEEKS[1]!.start ? '2026-W48' : '2026-W47'),
    filters: { services: ['checkout', '|x|'], severities: [1, 2], includePrivate },
  });

const hostile = report(HOSTILE.map(([n, title]) => line(n, title)));

/** markdownlint with every rule on but line length, as the postmortem is checked. */
const lintMarkdown = (markdown: string): string[] =>
  lint({ strings: { report: markdown }, config: { default: true, MD013: false } }).report!.map(
    (e) => `${e.lineNumber}: ${e.ruleNames.join('/')} ${e.errorDetail ?? ''} ${e.errorContext ?? ''}`,
  );

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** RFC 4180, read back: the test's own small reader, so the writer is checked against the grammar. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else if (c === '\n' || c === '\r' || c === '"') throw new Error(`bare ${JSON.stringify(c)} at ${i}`);
    else field += c;
    i++;
  }
  if (field !== '' || row.length) throw new Error('the last line does not end in CRLF');
  return rows;
}

describe('reportMarkdown', () => {
  const md = reportMarkdown(hostile);
  const incidentRows = md.split('\n').filter((l) => /^\| INC-\d/.test(l));

  it('passes markdownlint with hostile titles', () => {
    expect(lintMarkdown(md)).toEqual([]);
    expect(lintMarkdown(reportMarkdown(report([])))).toEqual([]);
  });

  it('keeps every title in its own cell: `|` and backticks escaped, markup shown as text', () => {
    expect(incidentRows).toHaveLength(8);
    // 16 columns: 17 unescaped bars on every row, whatever the title holds
    for (const r of incidentRows) expect(r.replace(/\\\|/g, '').split('|')).toHaveLength(18);
    const two = incidentRows.find((r) => r.startsWith('| INC-2 '))!;
    expect(two).toContain(
      'checkout \\| \\`rm -rf\\` \\| \\<b>bold\\</b> \\[link\\](javascript:alert(1)) # not a heading',
    );
    expect(two).toContain('resolved (reopened 1×)');
    expect(incidentRows.find((r) => r.startsWith('| INC-7 '))).toContain(
      '@U0ALICE says <5 min & 🧑🏽‍💻 fixed it',
    );
    expect(incidentRows.find((r) => r.startsWith('| INC-3 '))).toContain(
      '\\=HYPERLINK("[https://evil.example](https://evil.example)","click"), then "quote" · second line',
    );
    expect(incidentRows.find((r) => r.startsWith('| INC-8 (private) '))).toContain('\\# heading? · > quote?');
  });

  it('cuts a 40,000-character title to a readable length without splitting an emoji', () => {
    const one = incidentRows.find((r) => r.startsWith('| INC-1 '))!;
    expect(one.length).toBeLessThan(MARKDOWN_TITLE_MAX * 2 + 300);
    expect(one).toContain('…');
    expect(loneSurrogate.test(md)).toBe(false);
    const cut = reportMarkdown(report([line(1, `${'a'.repeat(MARKDOWN_TITLE_MAX - 2)}🔥🔥🔥`)]));
    expect(cut).toContain(`${'a'.repeat(MARKDOWN_TITLE_MAX - 2)}…`);
    expect(loneSurrogate.test(cut)).toBe(false);
  });

  it('writes times in the zone, durations as the postmortem does, and what was asked', () => {
    expect(md).toContain('Incidents declared from 2026-11-16 01:00 to 2026-11-23 13:00 (Europe/Berlin).');
    expect(md).toContain('Only incidents of severity SEV-1, SEV-2 and service "checkout", "|x|".');
    expect(md).toContain('Private incidents are included: do not share this report outside their channels.');
    expect(md).toContain(
      '| 2026-11-23 10:04 | 2026-11-23 10:09 | 2026-11-23 10:24 | 2026-11-23 11:09 | 5 min | 20 min | 1 h 05 min |',
    );
    expect(md).toContain(
      '| All | 8 | 5 min | 5 min | 6 | 20 min | 20 min | 8 | 1 h 05 min | 1 h 05 min | 8 |',
    );
    expect(md).toContain('| \\=search, pay\\|ments |');
    expect(md).toContain('| 2026-W47 | 2026-11-16 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |');
    expect(md).toContain('- Closed: 0 (0%)');
    expect(md).toContain('- Overdue: 8');
  });

  it('says clearly when no incident matches', () => {
    const empty = reportMarkdown(report([], false));
    expect(empty).toContain('No incidents were declared in this window that match the report.');
    expect(empty).toContain('Private incidents are left out (`--include-private` includes them).');
    expect(empty).not.toContain('## Incidents');
  });
});

describe('reportCsv', () => {
  const csv = reportCsv(hostile);
  const rows = readCsv(csv);

  it('is RFC 4180: a header, one row per incident, every field read back whole', () => {
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(9);
    for (const r of rows) expect(r).toHaveLength(CSV_COLUMNS.length);
    const title = (n: number) => rows.find((r) => r[0] === String(n))![2];
    expect(title(1)).toBe(LONG);
    expect(title(2)).toBe('checkout | `rm -rf` | <b>bold</b> [link](javascript:alert(1)) # not a heading');
    expect(title(3)).toBe(`'=HYPERLINK("https://evil.example","click"), then "quote"\nsecond line`);
    expect(title(7)).toBe("'@U0ALICE says <5 min & 🧑🏽‍💻 fixed it");
  });

  it('defuses a cell a spreadsheet would run as a formula', () => {
    const title = (n: number) => rows.find((r) => r[0] === String(n))![2];
    expect(title(4)).toBe("'+SUM(A1:A9)");
    expect(title(5)).toBe("'-1+2");
    expect(title(6)).toBe("'@cmd");
    expect(rows.find((r) => r[0] === '2')![6]).toBe("'=search; pay|ments");
    expect(csvField('\tx')).toBe("'\tx");
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(null)).toBe('');
    expect(csvField(-5)).toBe('-5');
  });

  it('documents every column in docs/report.md', () => {
    const doc = readFileSync(DOC, 'utf8');
    expect(CSV_COLUMNS.filter((c) => !doc.includes(`\`${c}\``))).toEqual([]);
  });

  it('gives times in ISO 8601 UTC and durations in milliseconds; blank when unknown', () => {
    const r1 = rows.find((r) => r[0] === '1')!;
    const at = (col: string) => r1[CSV_COLUMNS.indexOf(col as (typeof CSV_COLUMNS)[number])];
    expect(at('declared_at')).toBe('2026-11-23T09:01:00.000Z');
    expect(at('tta_ms')).toBe('300000');
    expect(at('ttr_ms')).toBe('3900000');
    expect(at('private')).toBe('false');
    const r3 = rows.find((r) => r[0] === '3')!;
    expect(r3[CSV_COLUMNS.indexOf('acknowledged_at')]).toBe('');
    expect(r3[CSV_COLUMNS.indexOf('tta_ms')]).toBe('');
  });
});

/**
 * Every key path of a JSON value, arrays read through (`weeks[].incidents`). A Stat (`tta`, `ttm`, `ttr`) is
 * documented once as a type, and `weeks[].bySeverity` as the shape of `bySeverity`: not descended.
 */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length ? keyPaths(value[0], `${prefix}[]`) : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    const leaf = ['tta', 'ttm', 'ttr'].includes(k) || path === 'weeks[].bySeverity';
    return [path, ...(leaf ? [] : keyPaths(v, path))];
  });
}

describe('reportJson', () => {
  const json = JSON.parse(reportJson(hostile));

  it('is the documented object, version 1, with times in UTC and durations in ms', () => {
    expect(json).toEqual(JSON.parse(JSON.stringify(reportJsonObject(hostile))));
    expect(json.report).toBe('muster.incident-report');
    expect(json.version).toBe(1);
    expect(json.window).toEqual({
      since: '2026-11-16T00:00:00.000Z',
      until: '2026-11-23T12:00:00.000Z',
      timeZone: 'Europe/Berlin',
    });
    expect(json.overall.tta).toEqual({ count: 6, medianMs: 300_000, p90Ms: 300_000 });
    expect(json.bySeverity[0]).toMatchObject({ severity: 1, label: 'SEV-1', incidents: 2 });
    expect(json.weeks[1]).toMatchObject({
      week: '2026-W48',
      start: '2026-11-22T23:00:00.000Z',
      incidents: 8,
    });
    const seven = json.incidents.find((i: { number: number }) => i.number === 7);
    expect(seven).toMatchObject({
      ref: 'INC-7',
      title: '@U0ALICE says <5 min & 🧑🏽‍💻 fixed it',
      declaredAt: '2026-11-23T09:07:00.000Z',
      ttaMs: 300_000,
      actions: { opened: 1, closed: 0, overdue: 1 },
    });
    expect(json.incidents[0].title).toBe(LONG);
  });

  it('documents every field in docs/report.md', () => {
    const doc = readFileSync(DOC, 'utf8');
    const stat = Object.keys(json.overall.tta);
    expect(stat).toEqual(['count', 'medianMs', 'p90Ms']);
    const missing = [...keyPaths(json), ...stat].filter((p) => !doc.includes(`\`${p}\``));
    expect(missing).toEqual([]);
    expect(keyPaths(json)).toContain('incidents[].actions.overdue');
  });
});
