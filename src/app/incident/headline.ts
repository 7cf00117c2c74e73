/** The headline of an incident as a view model: what it shows, whoever draws it (Slack, the App Home, a page). */
import { type Incident, incidentWebUrl } from '../../domain/incident.js';
import type { RoleHolders } from '../../domain/roles.js';
import type { Ports } from '../ports.js';
import type { WithHooks } from './hooks.js';
import { nextUpdateDue } from './reminders.js';

export interface HeadlineView {
  incident: Incident;
  holders: RoleHolders;
  now: number;
  /** every service attached or paged, each once, attached ones first */
  services?: string[];
  runbooks?: { title: string; url: string }[];
  pages?: { service: string; status: string; acknowledgedBy?: string | null }[];
  postmortem?: { permalink: string | null; version: number } | null;
  /** the latest status update (its text as typed in Slack), null when none was posted */
  lastUpdate?: { at: number; text: string; by: string } | null;
  /** when the next status update is due (in the past: overdue); null when the severity has no cadence */
  nextUpdateDue?: number | null;
  /** the incident's web page, when WEB_BASE_URL is set */
  webUrl?: string | null;
}

/** The incident's headline view: holders, the time, the last update and the next one due, and the hooks' lines. */
export async function headlineView<P extends Pick<Ports, 'store' | 'clock' | 'config'>>(
  ports: WithHooks<P, 'headline'>,
  incident: Incident,
): Promise<HeadlineView> {
  const view: HeadlineView = {
    incident,
    holders: await ports.store.incidents.holders(incident.number),
    now: ports.clock.now(),
    lastUpdate: await lastUpdateOf(ports, incident),
    nextUpdateDue: await nextUpdateDue(ports, incident),
    webUrl: incidentWebUrl(ports.config.WEB_BASE_URL, incident.number),
  };
  for (const p of ports.hooks.headline) Object.assign(view, await p(incident.number, ports));
  // A service paged without being attached (`page payments` on a checkout incident) is affected too.
  const services = [...new Set([...(view.services ?? []), ...(view.pages ?? []).map((p) => p.service)])];
  if (services.length) view.services = services;
  return view;
}

/** The latest update still on the timeline (a redacted one shows as blank, as the timeline does). */
async function lastUpdateOf(
  ports: Pick<Ports, 'store'>,
  incident: Incident,
): Promise<HeadlineView['lastUpdate']> {
  if (incident.lastUpdateAt === null) return null;
  const latest = await ports.store.timeline.latest(incident.number, 'update');
  return latest ? { at: latest.occurredAt, text: latest.text, by: latest.actor } : null;
}
