/**
 * `/incident actions --all`: the open action items across incidents as a person may see them, grouped by
 * incident, each with its issue in the team's tracker. A private incident's items are shown only to members of
 * its channel (visible-incidents.ts), so the list can be asked for from any channel. Returns a view model; the
 * Slack block builder (adapters/slack/blocks/open-actions.ts) decides how it looks.
 */
import type { ActionItem } from '../../domain/action-item.js';
import type { Incident } from '../../domain/incident.js';
import type { TrackerIssueRef } from '../../domain/ports.js';
import { visibleIncidents } from '../incident/visible-incidents.js';
import type { Ports } from '../ports.js';
import { workspaceDay } from './workspace-calendar.js';

/** One open item, with its issue (when created) and whether its due date has passed. */
export interface OpenAction {
  item: ActionItem;
  issue: TrackerIssueRef | null;
  overdue: boolean;
}

/** An incident and its open items, as `store.actions.list` orders them (priority, then when recorded). */
export interface OpenActionsOfIncident {
  incident: Incident;
  actions: OpenAction[];
}

export interface OpenActionsView {
  /** today in INCIDENT_TIMEZONE (`2026-12-07`): an item due before it is overdue */
  today: string;
  /** by incident number */
  incidents: OpenActionsOfIncident[];
}

/** The open action items `userId` may see, grouped by incident; fails only when the store does. */
export async function openActions(
  ports: Pick<Ports, 'store' | 'clock' | 'config' | 'membership' | 'log'>,
  userId: string,
): Promise<OpenActionsView> {
  const { store } = ports;
  const { today } = workspaceDay(ports.clock.now(), ports.config.INCIDENT_TIMEZONE);
  const byIncident = new Map<number, ActionItem[]>();
  for (const item of await store.actions.listOpen({ includePrivate: true }))
    byIncident.set(item.incidentNumber, [...(byIncident.get(item.incidentNumber) ?? []), item]);
  const incidents: Incident[] = [];
  for (const n of byIncident.keys()) {
    const incident = await store.incidents.get(n);
    if (incident) incidents.push(incident);
  }
  const visible = await visibleIncidents(ports, incidents, userId);
  const groups: OpenActionsOfIncident[] = [];
  for (const incident of visible.sort((a, b) => a.number - b.number)) {
    // one read of the incident's follow-ups rather than one per item
    const issues = new Map(
      (await store.followUps.ofIncident(incident.number)).map((f) => [f.actionId, f.issue] as const),
    );
    const actions = (byIncident.get(incident.number) ?? []).map((item) => ({
      item,
      issue: issues.get(item.id) ?? null,
      overdue: item.due !== null && item.due < today,
    }));
    groups.push({ incident, actions });
  }
  return { today, incidents: groups };
}
