/** The headline of an incident as a view model: what it shows, whoever draws it (Slack, the App Home, a page). */
import type { Incident } from '../../domain/incident.js';
import type { RoleHolders } from '../../domain/roles.js';
import type { Ports } from '../ports.js';

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
export function headlineView(deps: Ports, incident: Incident): HeadlineView {
  const view: HeadlineView = {
    incident,
    holders: deps.store.incidents.holders(incident.number),
    now: deps.clock.now(),
  };
  for (const p of deps.hooks.headline) Object.assign(view, p(incident.number, deps));
  return view;
}
