/**
 * The insights of the web page: the report (`muster report`'s figures) over the last `days` days, of the
 * incidents the viewer may see: a private incident counts only for members of its channel.
 */
import type { IncidentReport } from '../../domain/incident-report.js';
import { workspaceDay } from '../follow-ups/workspace-calendar.js';
import { visibleIncidents } from '../incident/visible-incidents.js';
import type { Ports } from '../ports.js';
import { summarizeIncidents } from '../report/build-incident-report.js';
import { loadReportIncidents } from '../report/load-report-incidents.js';

const DAY = 86_400_000;

/** The report `viewerId` may see for the last `days` days, of one service or all. */
export async function viewerInsights(
  ports: Pick<Ports, 'store' | 'membership' | 'log' | 'clock' | 'config'>,
  viewerId: string,
  opts: { days: number; service: string | null },
): Promise<IncidentReport> {
  const now = ports.clock.now();
  const since = now - opts.days * DAY;
  const timeZone = ports.config.INCIDENT_TIMEZONE;
  const services = opts.service ? [opts.service] : [];
  const all = await loadReportIncidents(
    ports,
    { since, until: now, includePrivate: true, today: workspaceDay(now, timeZone).today, services },
    now,
  );
  const seen = await visibleIncidents(ports, all, viewerId);
  return summarizeIncidents(seen, { since, until: now, timeZone }, { includePrivate: true, services });
}
