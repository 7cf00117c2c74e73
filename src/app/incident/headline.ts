/** The headline of an incident as a view model: what it shows, whoever draws it (Slack, the App Home, a page). */
import type { Incident } from '../../domain/incident.js';
import type { RoleHolders } from '../../domain/roles.js';
import type { Ports } from '../ports.js';
import type { WithHooks } from './hooks.js';

export interface HeadlineView {
  incident: Incident;
  holders: RoleHolders;
  now: number;
  services?: string[];
  runbooks?: { title: string; url: string }[];
  pages?: { service: string; status: string; acknowledgedBy?: string | null }[];
  postmortem?: { permalink: string | null; version: number } | null;
}

/** The incident's headline view: holders, the time, and the lines the headline hooks add. */
export function headlineView<P extends Pick<Ports, 'store' | 'clock'>>(
  ports: WithHooks<P, 'headline'>,
  incident: Incident,
): HeadlineView {
  const view: HeadlineView = {
    incident,
    holders: ports.store.incidents.holders(incident.number),
    now: ports.clock.now(),
  };
  for (const p of ports.hooks.headline) Object.assign(view, p(incident.number, ports));
  return view;
}
