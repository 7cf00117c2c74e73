/**
 * The report of how incident response is going (`muster report`, and the figures of the web page): the
 * incidents of a window read from the store, summarised with the weeks of INCIDENT_TIMEZONE.
 */
import type { IncidentReport, ReportFilters, ReportIncident } from '../../domain/incident-report.js';
import { summarizeReport } from '../../domain/incident-report.js';
import type { Severity } from '../../domain/incident.js';
import { workspaceDay } from '../follow-ups/workspace-calendar.js';
import type { Ports } from '../ports.js';
import { loadReportIncidents } from './load-report-incidents.js';
import { reportCalendar } from './report-calendar.js';

export interface ReportOptions {
  /** epoch ms: the start of the window */
  since: number;
  /** epoch ms: the end of the window; now when absent */
  until?: number;
  /** service names (case-blind); absent or empty: every incident */
  services?: readonly string[];
  /** severities; absent or empty: every severity */
  severities?: readonly Severity[];
  includePrivate: boolean;
}

const filtersOf = (o: Omit<ReportOptions, 'since' | 'until'>): ReportFilters => ({
  services: o.services?.length ? [...new Set(o.services.map((s) => s.toLowerCase()))] : null,
  severities: o.severities?.length ? [...new Set(o.severities)].sort() : null,
  includePrivate: o.includePrivate,
});

/**
 * Summarises incidents already chosen (the web page drops those its viewer may not see) over [since, until],
 * with weeks in `timeZone`; `filters` records what was asked. Throws on an unknown zone.
 */
export function summarizeIncidents(
  incidents: readonly ReportIncident[],
  window: { since: number; until: number; timeZone: string },
  filters: Omit<ReportOptions, 'since' | 'until'>,
): IncidentReport {
  return summarizeReport(incidents, reportCalendar(window, filtersOf(filters)));
}

/** Reads and summarises the report for `options` as of the clock's now, in INCIDENT_TIMEZONE. */
export async function buildIncidentReport(
  ports: Pick<Ports, 'store' | 'config' | 'clock'>,
  options: ReportOptions,
): Promise<IncidentReport> {
  const now = ports.clock.now();
  const until = options.until ?? now;
  const timeZone = ports.config.INCIDENT_TIMEZONE;
  const incidents = await loadReportIncidents(
    ports,
    {
      since: options.since,
      until,
      includePrivate: options.includePrivate,
      today: workspaceDay(now, timeZone).today,
      ...(options.services ? { services: options.services } : {}),
      ...(options.severities ? { severities: options.severities } : {}),
    },
    now,
  );
  return summarizeIncidents(incidents, { since: options.since, until, timeZone }, options);
}
