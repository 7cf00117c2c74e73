/**
 * The incidents list of the web page: every incident the viewer may see (a private one only by members of its
 * channel), newest first, narrowed by status, severity, service and time. It returns rows; the page is the
 * web adapter's.
 */
import { type Incident, type Severity, STATUSES, type Status } from '../../domain/incident.js';
import { visibleIncidents } from '../incident/visible-incidents.js';
import type { Ports } from '../ports.js';

/** What the list is narrowed by; absent: no narrowing. */
export interface IncidentFilter {
  /** `open`: any status but resolved */
  status?: Status | 'open';
  severity?: Severity;
  service?: string;
  /** declared at or after (epoch ms) */
  since?: number;
}

export interface IncidentRow {
  incident: Incident;
  services: string[];
  /** the incident commander's name, or null */
  commander: string | null;
}

export interface IncidentList {
  rows: IncidentRow[];
  /** how many matched, before `limit` */
  total: number;
  /** every service attached to an incident the viewer may see, for the filter's choices */
  services: string[];
}

/** The filter read from a query string; a value it does not know is left out (the page says what it shows). */
export function readIncidentFilter(query: URLSearchParams, now: number): IncidentFilter {
  const filter: IncidentFilter = {};
  const status = query.get('status');
  if (status === 'open' || (STATUSES as readonly string[]).includes(status ?? ''))
    filter.status = status as IncidentFilter['status'];
  const severity = Number(query.get('severity'));
  if ([1, 2, 3, 4].includes(severity)) filter.severity = severity as Severity;
  const service = query.get('service')?.trim();
  if (service) filter.service = service.slice(0, 200);
  const days = Number(query.get('days'));
  if (Number.isInteger(days) && days > 0 && days <= 3660) filter.since = now - days * 86_400_000;
  return filter;
}

/** The incidents `viewerId` may see that match `filter`, newest first, at most `limit` of them. */
export async function listIncidents(
  ports: Pick<Ports, 'store' | 'membership' | 'log' | 'users'>,
  viewerId: string,
  filter: IncidentFilter,
  limit = 200,
): Promise<IncidentList> {
  const all = (await ports.store.incidents.all({ includePrivate: true })).sort(
    (a, b) => b.declaredAt - a.declaredAt || b.number - a.number,
  );
  const seen = await visibleIncidents(ports, all, viewerId);
  const attached = new Map<number, string[]>();
  for (const i of seen)
    attached.set(
      i.number,
      (await ports.store.services.attached(i.number)).map((s) => s.service),
    );
  const matches = seen.filter(
    (i) =>
      (filter.status === undefined ||
        (filter.status === 'open' ? i.status !== 'resolved' : i.status === filter.status)) &&
      (filter.severity === undefined || i.severity === filter.severity) &&
      (filter.since === undefined || i.declaredAt >= filter.since) &&
      (filter.service === undefined || attached.get(i.number)!.includes(filter.service)),
  );
  const rows: IncidentRow[] = [];
  for (const incident of matches.slice(0, limit)) {
    const ic = (await ports.store.incidents.holders(incident.number)).ic;
    rows.push({
      incident,
      services: attached.get(incident.number)!,
      commander: ic ? await ports.users.name(ic) : null,
    });
  }
  const services = [...new Set([...attached.values()].flat())].sort();
  return { rows, total: matches.length, services };
}
