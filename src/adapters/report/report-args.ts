/**
 * The arguments of `muster report`, read strictly: every mistake is one line saying what was wrong and what is
 * accepted. `--since` is read in INCIDENT_TIMEZONE: `90d` and `12w` count back from now on the calendar (so a
 * change of daylight saving time does not shift the start by an hour), `2026-09-01` starts at 00:00 that day.
 */
import { DateTime } from 'luxon';
import { isDomainError } from '../../domain/errors.js';
import { parseSeverity, type Severity } from '../../domain/incident.js';

export const REPORT_FORMATS = ['md', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The longest window `--since` takes as a count: ten years (3,660 days or 522 weeks). */
export const MAX_SINCE_DAYS = 3660;

/** What `muster report` was asked. */
export interface ReportArgs {
  /** epoch ms */
  since: number;
  /** services, as typed (matched case-blind); empty: every incident */
  services: string[];
  /** empty: every severity */
  severities: Severity[];
  format: ReportFormat;
  includePrivate: boolean;
  /** the file to write; null: standard output */
  out: string | null;
}

/** A mistake in the arguments; the message is the one line to show. */
export class ReportArgsError extends Error {}

/** The default window: the last 90 days. */
export const DEFAULT_SINCE = '90d';

/** Reads `--since`: `90d`, `12w` or a date `2026-09-01`, none of them empty or in the future. */
export function parseSince(text: string, now: number, timeZone: string): number {
  const t = text.trim();
  const count = /^(\d{1,6})([dw])$/i.exec(t);
  const local = DateTime.fromMillis(now, { zone: timeZone });
  if (count) {
    const n = Number(count[1]);
    const unit = count[2]!.toLowerCase() === 'd' ? 'days' : 'weeks';
    const days = unit === 'days' ? n : n * 7;
    if (n === 0) throw new ReportArgsError(`--since ${t} is an empty window: use 1d or more.`);
    if (days > MAX_SINCE_DAYS) {
      throw new ReportArgsError(`--since ${t} is too long: at most ${MAX_SINCE_DAYS}d (ten years).`);
    }
    return local.minus({ [unit]: n }).toMillis();
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
    const day = DateTime.fromISO(t, { zone: timeZone });
    if (!day.isValid) throw new ReportArgsError(`--since ${t} is not a date on the calendar.`);
    if (day.toMillis() > now) {
      throw new ReportArgsError(
        `--since ${t} is in the future (today is ${local.toISODate()} in ${timeZone}).`,
      );
    }
    return day.toMillis();
  }
  throw new ReportArgsError(
    `--since "${text}" is not a window: use a number of days or weeks (90d, 12w) or a date (2026-09-01).`,
  );
}

const list = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Reads the arguments after `report`; throws ReportArgsError with a one-line message. */
export function parseReportArgs(args: readonly string[], ctx: { now: number; timeZone: string }): ReportArgs {
  let since: string | null = null;
  let format: string | null = null;
  let out: string | null = null;
  const services: string[] = [];
  const severities: Severity[] = [];
  let includePrivate = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      throw new ReportArgsError(`report takes options only; "${arg}" is not one (see \`muster help\`).`);
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (name === '--include-private') {
      if (eq >= 0) throw new ReportArgsError('--include-private takes no value.');
      includePrivate = true;
      continue;
    }
    if (!['--since', '--service', '--severity', '--format', '--out'].includes(name)) {
      throw new ReportArgsError(
        `unknown option "${name}" for report: use --since, --service, --severity, --format, --include-private or --out.`,
      );
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value.trim() === '' || (eq < 0 && value.startsWith('--'))) {
      throw new ReportArgsError(`${name} needs a value.`);
    }
    const once = (current: string | null): string => {
      if (current !== null) throw new ReportArgsError(`${name} is given twice.`);
      return value;
    };
    switch (name) {
      case '--since':
        since = once(since);
        break;
      case '--format':
        format = once(format);
        break;
      case '--out':
        out = once(out);
        break;
      case '--service':
      case '--severity': {
        const words = list(value);
        if (words.length === 0) throw new ReportArgsError(`${name} needs a value.`);
        if (name === '--service') services.push(...words);
        else for (const word of words) severities.push(severity(word));
        break;
      }
    }
  }
  const f = (format ?? 'md').trim().toLowerCase();
  if (!(REPORT_FORMATS as readonly string[]).includes(f)) {
    throw new ReportArgsError(`--format "${format}" is not a format: use md, csv or json.`);
  }
  return {
    since: parseSince(since ?? DEFAULT_SINCE, ctx.now, ctx.timeZone),
    services: [...new Set(services)],
    severities: [...new Set(severities)].sort(),
    format: f as ReportFormat,
    includePrivate,
    out,
  };
}

function severity(word: string): Severity {
  try {
    return parseSeverity(word);
  } catch (e) {
    if (isDomainError(e)) throw new ReportArgsError(`--severity: ${e.message}`);
    throw e;
  }
}
