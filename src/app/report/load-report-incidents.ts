/**
 * Reads the incidents of a report from the store: those declared in the window that match the filters, each
 * with its key times, pages and action items. Private incidents only when asked: the command line asks with
 * `--include-private`; a page shown to one person asks for them all and keeps those that person may see.
 */
import { type ReportIncident, reportIncident } from '../../domain/incident-report.js';
import type { Severity } from '../../domain/incident.js';
import type { Ports } from '../ports.js';

export interface ReportIncidentFilter {
  /** epoch ms: incidents declared from `since` to `until`, both included */
  since: number;
  until: number;
  /** only incidents with one of these services attached (names compared case-blind); absent or empty: all */
  services?: readonly string[];
  /** only incidents of these current severities; absent or empty: all */
  severities?: readonly Severity[];
  includePrivate: boolean;
  /** YYYY-MM-DD in INCIDENT_TIMEZONE: an open action item due before it is overdue */
  today: string;
}

/** The incidents of the report, oldest declared first; `now` is when open incidents' times run to. */
export async function loadReportIncidents(
  ports: Pick<Ports, 'store'>,
  filter: ReportIncidentFilter,
  now: number = filter.until,
): Promise<ReportIncident[]> {
  const { store } = ports;
  const wanted = filter.services?.length ? new Set(filter.services.map((s) => s.toLowerCase())) : null;
  const severities = filter.severities?.length ? new Set(filter.severities) : null;
  const listed = (await store.incidents.all({ includePrivate: filter.includePrivate })).filter(
    (i) =>
      i.declaredAt >= filter.since &&
      i.declaredAt <= filter.until &&
      (filter.includePrivate || !i.private) &&
      (severities === null || severities.has(i.severity)),
  );
  const out: ReportIncident[] = [];
  for (const incident of listed) {
    const services = (await store.services.attached(incident.number)).map((s) => s.service);
    if (wanted && !services.some((s) => wanted.has(s.toLowerCase()))) continue;
    const facts = {
      incident,
      services,
      timeline: await store.timeline.list(incident.number),
      pages: await store.pages.list(incident.number),
      actions: await store.actions.list(incident.number),
    };
    out.push(reportIncident(facts, now, filter.today));
  }
  return out.sort((a, b) => a.declaredAt - b.declaredAt || a.number - b.number);
}
