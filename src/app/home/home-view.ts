/**
 * What Muster's App Home shows one person: the open incidents they may see (private ones only to members of
 * their channel, fail closed: visible-incidents.ts), with severity, status, age and the roles they hold in
 * each, and their own open action items across those incidents. Returns a view model; the Slack builder
 * (adapters/slack/blocks/app-home.ts) decides how it looks. What every Home is read from (`homeFacts`) is read
 * once for a refresh of many viewers, and each viewer's Home picked from it (`homeViewOf`).
 */
import type { ActionItem } from '../../domain/action-item.js';
import type { Incident } from '../../domain/incident.js';
import type { TrackerIssueRef } from '../../domain/ports.js';
import { ROLES, type Role, type RoleHolders } from '../../domain/roles.js';
import { workspaceDay } from '../follow-ups/workspace-calendar.js';
import { visibleIncidents } from '../incident/visible-incidents.js';
import type { Ports } from '../ports.js';

/**
 * A viewer who has not opened the Home for this long is no longer refreshed (until they open it again), and
 * the retention purge forgets them.
 */
export const HOME_VIEWER_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

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

/**
 * What every Home is read from, read once for a pass over many viewers: the open incidents with their role
 * holders, and the open action items that have an owner with their incidents and issues.
 */
export interface HomeFacts {
  now: number;
  today: string;
  /** WEB_BASE_URL, without its last slash; null when the web page is not configured */
  base: string | null;
  /** newest first, as the store lists them */
  open: Incident[];
  holders: ReadonlyMap<number, RoleHolders>;
  /** open items with an owner, by incident then priority */
  actions: ActionItem[];
  /** the incident of each of `actions`, by number (resolved ones too: follow-ups outlive the incident) */
  incidentsOfActions: ReadonlyMap<number, Incident>;
  /** the issue of each of `actions` that has one, by action id */
  issues: ReadonlyMap<number, TrackerIssueRef>;
}

/** Reads the facts every Home shows; fails only when the store does. */
export async function homeFacts(ports: Pick<Ports, 'store' | 'clock' | 'config'>): Promise<HomeFacts> {
  const { store, config } = ports;
  const now = ports.clock.now();
  const open = await store.incidents.listOpen();
  const holders = new Map<number, RoleHolders>();
  for (const incident of open) holders.set(incident.number, await store.incidents.holders(incident.number));
  const actions = (await store.actions.listOpen({ includePrivate: true })).filter((i) => i.ownerId !== null);
  const incidentsOfActions = new Map<number, Incident>();
  const issues = new Map<number, TrackerIssueRef>();
  for (const n of new Set(actions.map((i) => i.incidentNumber))) {
    const incident = open.find((i) => i.number === n) ?? (await store.incidents.get(n));
    if (incident) incidentsOfActions.set(n, incident);
    for (const f of await store.followUps.ofIncident(n)) if (f.issue) issues.set(f.actionId, f.issue);
  }
  return {
    now,
    today: workspaceDay(now, config.INCIDENT_TIMEZONE).today,
    base: config.WEB_BASE_URL ?? null,
    open,
    holders,
    actions,
    incidentsOfActions,
    issues,
  };
}

/** The Home of `userId` from `facts`: a private incident (and its items) only when they are in its channel. */
export async function homeViewOf(
  ports: Pick<Ports, 'membership' | 'log'>,
  facts: HomeFacts,
  userId: string,
): Promise<HomeView> {
  const { now, today, base } = facts;
  const visible = await visibleIncidents(ports, facts.open, userId);
  const incidents: HomeIncident[] = visible
    .map((incident) => ({
      incident,
      roles: ROLES.filter((role) => facts.holders.get(incident.number)?.[role] === userId),
      webUrl: base ? `${base}/incidents/${incident.number}` : null,
    }))
    .sort(
      (a, b) => a.incident.severity - b.incident.severity || b.incident.declaredAt - a.incident.declaredAt,
    );

  const mine = facts.actions.filter((i) => i.ownerId === userId);
  const owning = [...new Set(mine.map((i) => i.incidentNumber))].flatMap((n) => {
    const incident = facts.incidentsOfActions.get(n);
    return incident ? [incident] : [];
  });
  const seen = new Map((await visibleIncidents(ports, owning, userId)).map((i) => [i.number, i]));
  const actions: HomeAction[] = mine.flatMap((item) => {
    const incident = seen.get(item.incidentNumber);
    if (!incident) return [];
    const overdue = item.due !== null && item.due < today;
    return [{ item, incident, issue: facts.issues.get(item.id) ?? null, overdue }];
  });
  actions.sort(byUrgency);
  return { userId, now, today, incidents, actions, incidentsUrl: base ? `${base}/incidents` : null };
}

/** Reads the Home of `userId`; fails only when the store does (a membership Slack cannot tell hides the incident). */
export async function homeView(
  ports: Pick<Ports, 'store' | 'clock' | 'config' | 'membership' | 'log'>,
  userId: string,
): Promise<HomeView> {
  return homeViewOf(ports, await homeFacts(ports), userId);
}
