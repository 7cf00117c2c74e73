/**
 * Wires `muster report`: the store (SQLite, or PostgreSQL loaded only then) and the report's renderers, nothing
 * else: no Bolt, no HTTP server, no catalog. A `--service` is matched against the services attached to
 * incidents, so a service the catalog no longer lists still reports its past incidents; a name no incident
 * carries gives an empty report that says so.
 */
import { writeFileSync } from 'node:fs';
import { type ReportArgs, parseReportArgs } from './adapters/report/report-args.js';
import { reportCsv } from './adapters/report/report-csv.js';
import { reportJson } from './adapters/report/report-json.js';
import { reportMarkdown } from './adapters/report/report-markdown.js';
import { buildIncidentReport } from './app/report/build-incident-report.js';
import { openCommandStore } from './compose-export.js';
import type { Config } from './config.js';
import type { IncidentReport } from './domain/incident-report.js';

const RENDER: Record<ReportArgs['format'], (r: IncidentReport) => string> = {
  md: reportMarkdown,
  csv: reportCsv,
  json: reportJson,
};

/**
 * Reads the arguments (throws ReportArgsError before opening anything), builds the report as of `now` from
 * the configured database, renders it, and writes it to `--out` or standard output. Returns the report and
 * where it went.
 */
export async function runReport(
  config: Config,
  argv: readonly string[],
  now: number,
): Promise<{ report: IncidentReport; out: string | null }> {
  const args = parseReportArgs(argv, { now, timeZone: config.INCIDENT_TIMEZONE });
  const store = await openCommandStore(config);
  let report: IncidentReport;
  try {
    report = await buildIncidentReport(
      { store, config, clock: { now: () => now } },
      {
        since: args.since,
        until: now,
        services: args.services,
        severities: args.severities,
        includePrivate: args.includePrivate,
      },
    );
  } finally {
    await store.close();
  }
  const text = RENDER[args.format](report);
  if (args.out) writeFileSync(args.out, text);
  else process.stdout.write(text);
  return { report, out: args.out };
}
