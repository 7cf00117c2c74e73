/**
 * What Muster's App Home shows one person: the open incidents they may see (private ones only to members of
 * their channel, fail closed: visible-incidents.ts), with severity, status, age and the roles they hold in
 * each, and their own open action items across those incidents. Returns a view model; the Slack builder
 * (adapters/slack/blocks/app-home.ts) decides how it looks.
 */
import type { ActionItem } from '../../domain/action-item.js';
import type { Incident } from '../../domain/incident.js';
import type { TrackerIssueRef } from '../../domain/ports.js';
import { ROLES, type Role } from '../../domain/roles.js';
import { workspaceDay } from '../follow-ups/workspace-calendar.js';
import { visibleIncidents } from '../incident/visible-incidents.js';
import type { Ports } from '../ports.js';

/** One open incident, with the roles the viewer holds in it. */
export interface HomeIncident {
  incident: Incident;
  /** the viewer's current roles, in the order of ROLES (commander first) */
  roles: Role[];
  /** the incident's page on Muster's web page; null without WEB_BASE_URL */
  webUrl: string | null;
}

/** One of the viewer's open action items, with its incident and issue. */
export interface HomeAction {
  item: ActionItem;
  incident: Incident;
  issue: TrackerIssueRef | null;
  /** due before today (in INCIDENT_TIMEZONE) */
  overdue: boolean;
}

export interface HomeView {
  userId: string;
  /** when the view was read (epoch ms): ages are told from it */
  now: number;
  /** today in INCIDENT_TIMEZONE (`2026-12-07`) */
  today: string;
  /** SEV-1 first, then the newest first */
  incidents: HomeIncident[];
  /** the earliest due first (no due date last), then by priority, incident and when recorded */
  actions: HomeAction[];
  /** `${WEB_BASE_URL}/incidents`; null when the web page is not configured */
  incidentsUrl: string | null;
}

/** Due dates compare as text (YYYY-MM-DD); an item without one sorts after every dated one. */
const dueKey = (item: ActionItem): string => item.due ?? '9999-99-99';

const byUrgency = (a: HomeAction, b: HomeAction): number =>
  dueKey(a.item).localeCompare(dueKey(b.item)) ||
  a.item.priority.localeCompare(b.item.priority) ||
  a.incident.number - b.incident.number ||
  a.item.id - b.item.id;

/** Reads the Home of `userId`; fails only when the store does (a membership Slack cannot tell hides the incident). */
export async function homeView(
  ports: Pick<Ports, 'store' | 'clock' | 'config' | 'membership' | 'log'>,
  userId: string,
): Promise<HomeView> {
  const { store, config } = ports;
  const now = ports.clock.now();
  const { today } = workspaceDay(now, config.INCIDENT_TIMEZONE);
  const base = config.WEB_BASE_URL ?? null;
  const open = await visibleIncidents(ports, await store.incidents.listOpen(), userId);
  const incidents: HomeIncident[] = [];
  for (const incident of open) {
    const holders = await store.incidents.holders(incident.number);
    incidents.push({
      incident,
      roles: ROLES.filter((role) => holders[role] === userId),
      webUrl: base ? `${base}/incidents/${incident.number}` : null,
    });
  }
  incidents.sort(
    (a, b) => a.incident.severity - b.incident.severity || b.incident.declaredAt - a.incident.declaredAt,
  );

  const mine = (await store.actions.listOpen({ includePrivate: true })).filter((i) => i.ownerId === userId);
  const numbers = [...new Set(mine.map((i) => i.incidentNumber))];
  const owning: Incident[] = [];
  for (const n of numbers) {
    const incident = open.find((i) => i.number === n) ?? (await store.incidents.get(n));
    if (incident) owning.push(incident);
  }
  // items of resolved incidents count too (follow-ups outlive the incident), a private one's only for members
  const seen = new Map((await visibleIncidents(ports, owning, userId)).map((i) => [i.number, i]));
  const actions: HomeAction[] = [];
  for (const [number, incident] of seen) {
    const issues = new Map((await store.followUps.ofIncident(number)).map((f) => [f.actionId, f.issue]));
    for (const item of mine.filter((i) => i.incidentNumber === number)) {
      actions.push({
        item,
        incident,
        issue: issues.get(item.id) ?? null,
        overdue: item.due !== null && item.due < today,
      });
    }
  }
  actions.sort(byUrgency);
  return { userId, now, today, incidents, actions, incidentsUrl: base ? `${base}/incidents` : null };
}
