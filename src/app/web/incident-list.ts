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
  /** declared within this many days: at or after `since` (epoch ms) */
  days?: number;
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
  /** how many matched, across every page */
  total: number;
  /** the page shown (from 1) and how many there are */
  page: number;
  pages: number;
  /** the services of the catalog and of the rows shown, for the filter's choices */
  services: string[];
}

/** Incidents on one page of the list. */
export const LIST_PAGE_SIZE = 100;

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
  if (Number.isInteger(days) && days > 0 && days <= 3660) {
    filter.days = days;
    filter.since = now - days * 86_400_000;
  }
  return filter;
}

/**
 * One page of the incidents `viewerId` may see that match `filter`, newest first. What is cheap is narrowed
 * first (status, severity, time: on the incident itself); services are read only to match a service filter
 * and for the rows shown, so a long history costs one read of the incidents, not one per incident.
 */
export async function listIncidents(
  ports: Pick<Ports, 'store' | 'membership' | 'log' | 'users' | 'catalog'>,
  viewerId: string,
  filter: IncidentFilter,
  page = 1,
): Promise<IncidentList> {
  const narrowed = (await ports.store.incidents.all({ includePrivate: true }))
    .filter(
      (i) =>
        (filter.status === undefined ||
          (filter.status === 'open' ? i.status !== 'resolved' : i.status === filter.status)) &&
        (filter.severity === undefined || i.severity === filter.severity) &&
        (filter.since === undefined || i.declaredAt >= filter.since),
    )
    .sort((a, b) => b.declaredAt - a.declaredAt || b.number - a.number);
  const seen = await visibleIncidents(ports, narrowed, viewerId);
  const servicesOf = async (n: number) => (await ports.store.services.attached(n)).map((s) => s.service);
  const attached = new Map<number, string[]>();
  let matches = seen;
  if (filter.service !== undefined) {
    const wanted = filter.service.toLowerCase();
    matches = [];
    for (const i of seen) {
      const services = await servicesOf(i.number);
      attached.set(i.number, services);
      if (services.some((s) => s.toLowerCase() === wanted)) matches.push(i);
    }
  }
  const pages = Math.max(1, Math.ceil(matches.length / LIST_PAGE_SIZE));
  const shown = Math.min(Math.max(1, Math.floor(page)), pages);
  const rows: IncidentRow[] = [];
  for (const incident of matches.slice((shown - 1) * LIST_PAGE_SIZE, shown * LIST_PAGE_SIZE)) {
    const ic = (await ports.store.incidents.holders(incident.number)).ic;
    rows.push({
      incident,
      services: attached.get(incident.number) ?? (await servicesOf(incident.number)),
      commander: ic ? await ports.users.name(ic) : null,
    });
  }
  const services = [
    ...new Set([
      ...(ports.catalog.current?.services.map((s) => s.name) ?? []),
      ...rows.flatMap((r) => r.services),
    ]),
  ].sort();
  return { rows, total: matches.length, page: shown, pages, services };
}
