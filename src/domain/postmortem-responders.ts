/**
 * Everyone who took part in an incident, for the postmortem: who held a role, declared, posted or pinned in
 * the channel, wrote notes and updates, changed the status or severity, paged, was paged or acknowledged a
 * page. A person is a Slack user id, or a PagerDuty name when that is all the record holds.
 */
import type { Page } from './page.js';
import { ROLE_TITLES, type Role } from './roles.js';
import type { TimelineEntry } from './timeline.js';

/** What the record says one person did. */
interface Activity {
  first: number;
  declared: boolean;
  posted: number;
  pinned: number;
  notes: number;
  updates: number;
  changes: number;
  /** the impact times they recorded: `impact` (the impact start), `detected` */
  times: string[];
  resolved: boolean;
  paged: string[];
  wasPaged: string[];
  acknowledged: string[];
}

export interface ResponderRole {
  role: Role;
  title: string;
  from: number;
  until: number | null;
}

export interface Responder {
  /** a Slack user id, or a name from PagerDuty */
  id: string;
  roles: ResponderRole[];
  /** when the record first shows them (epoch ms) */
  first: number;
  /** what they did, in words: `declared; posted 3 messages; paged checkout` */
  did: string;
}

export interface ResponderFacts {
  declaredBy: string;
  declaredAt: number;
  timeline: readonly TimelineEntry[];
  roles: readonly { role: Role; userId: string; assignedAt: number; endedAt: number | null }[];
  pages: readonly Page[];
  /** who wrote in the incident channel, from the message cache */
  authors: readonly { userId: string; messages: number; firstAt: number }[];
}

const SYSTEM = new Set(['muster', 'pagerduty', 'unknown', '']);
/** Slack user ids; bot ids (`B…`) of integrations posting in the channel are not responders. */
const isSlackUser = (id: string): boolean => /^[UW][A-Z0-9]+$/.test(id);
const ROLE_ORDER: readonly Role[] = ['ic', 'tech', 'comms', 'scribe'];

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function words(a: Activity): string {
  const out: string[] = [];
  if (a.declared) out.push('declared');
  if (a.posted) out.push(`posted ${plural(a.posted, 'message')}`);
  if (a.pinned) out.push(`pinned ${plural(a.pinned, 'message')} to the timeline`);
  if (a.notes) out.push(plural(a.notes, 'note'));
  if (a.updates) out.push(plural(a.updates, 'update'));
  if (a.changes) out.push(`${plural(a.changes, 'status or severity change')}`);
  if (a.times.length)
    out.push(
      `recorded ${a.times.map((t) => (t === 'impact' ? 'the impact start' : 'the detection time')).join(' and ')}`,
    );
  if (a.paged.length) out.push(`paged ${a.paged.join(', ')}`);
  if (a.wasPaged.length) out.push(`was paged for ${a.wasPaged.join(', ')}`);
  if (a.acknowledged.length) out.push(`acknowledged the ${a.acknowledged.join(', ')} page`);
  if (a.resolved) out.push('resolved');
  return out.join('; ');
}

/**
 * The responders: role holders first (commander, technical lead, communications lead, scribe, each in
 * the order they took the role), then everyone else by when they first appear. Never throws.
 */
export function responders(facts: ResponderFacts): Responder[] {
  const people = new Map<string, Activity>();
  // A PagerDuty user found in Slack is one person: the name PagerDuty gives is read as their Slack id.
  const slackIdOf = new Map<string, string>();
  for (const e of facts.timeline) {
    const { agent, agentUser } = e.meta;
    if (typeof agent === 'string' && typeof agentUser === 'string' && isSlackUser(agentUser))
      slackIdOf.set(agent.trim(), agentUser);
  }
  const person = (id: string, at: number): Activity | null => {
    const key = slackIdOf.get(id.trim()) ?? id.trim();
    if (SYSTEM.has(key) || /^B[A-Z0-9]+$/.test(key)) return null;
    let a = people.get(key);
    if (!a) {
      a = {
        first: at,
        declared: false,
        posted: 0,
        pinned: 0,
        notes: 0,
        updates: 0,
        changes: 0,
        times: [],
        resolved: false,
        paged: [],
        wasPaged: [],
        acknowledged: [],
      };
      people.set(key, a);
    }
    a.first = Math.min(a.first, at);
    return a;
  };
  const addOnce = (list: string[], s: string) => {
    if (!list.includes(s)) list.push(s);
  };

  const declarer = person(facts.declaredBy, facts.declaredAt);
  if (declarer) declarer.declared = true;
  for (const r of facts.roles) person(r.userId, r.assignedAt);
  for (const m of facts.authors) {
    if (!isSlackUser(m.userId)) continue;
    const a = person(m.userId, m.firstAt);
    if (a) a.posted += m.messages;
  }
  const pinnedAuthors = new Map<string, number>();
  for (const e of facts.timeline) {
    if (e.state === 'removed' || e.kind === 'postmortem') continue;
    const at = e.occurredAt;
    switch (e.kind) {
      case 'message': {
        pinnedAuthors.set(e.actor, (pinnedAuthors.get(e.actor) ?? 0) + 1);
        person(e.actor, at);
        const by = e.meta.addedBy;
        if (typeof by === 'string') {
          const pinner = person(by, at);
          if (pinner) pinner.pinned += 1;
        }
        break;
      }
      case 'note':
      case 'update': {
        const a = person(e.actor, at);
        if (a) a[e.kind === 'note' ? 'notes' : 'updates'] += 1;
        break;
      }
      case 'status':
      case 'severity':
      case 'reopened': {
        const a = person(e.actor, at);
        if (a) a.changes += 1;
        break;
      }
      case 'impact': {
        const a = person(e.actor, at);
        const field = e.meta.field === 'detected' ? 'detected' : 'impact';
        if (a) addOnce(a.times, field);
        break;
      }
      case 'resolved': {
        const a = person(e.actor, at);
        if (a) a.resolved = true;
        break;
      }
      case 'page_ack':
      case 'page_event': {
        const service = typeof e.meta.service === 'string' ? e.meta.service : null;
        const assignees = Array.isArray(e.meta.assignees) ? e.meta.assignees : [];
        for (const name of assignees) {
          const a = typeof name === 'string' && service ? person(name, at) : null;
          if (a && service) addOnce(a.wasPaged, service);
        }
        break;
      }
      default:
        if (isSlackUser(e.actor)) person(e.actor, at);
    }
  }
  // A pinned message's author posted it, even when the message cache no longer holds it.
  for (const [id, n] of pinnedAuthors) {
    const a = people.get(id.trim());
    if (a && a.posted < n) a.posted = n;
  }
  for (const p of facts.pages) {
    if (p.status !== 'failed') {
      const pager = person(p.requestedBy, p.requestedAt);
      if (pager) addOnce(pager.paged, p.service);
    }
    if (p.acknowledgedBy && p.acknowledgedAt !== null) {
      const a = person(p.acknowledgedBy, p.acknowledgedAt);
      if (a) addOnce(a.acknowledged, p.service);
    }
  }

  const rolesOf = (id: string): ResponderRole[] =>
    facts.roles
      .filter((r) => r.userId.trim() === id)
      .sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.assignedAt - b.assignedAt)
      .map((r) => ({ role: r.role, title: ROLE_TITLES[r.role], from: r.assignedAt, until: r.endedAt }));
  const list = [...people].map(([id, a]) => ({ id, roles: rolesOf(id), first: a.first, did: words(a) }));
  const rank = (r: Responder): number =>
    r.roles.length ? ROLE_ORDER.indexOf(r.roles[0]!.role) : ROLE_ORDER.length;
  return list.sort(
    (x, y) =>
      rank(x) - rank(y) ||
      (x.roles[0]?.from ?? x.first) - (y.roles[0]?.from ?? y.first) ||
      (x.id < y.id ? -1 : x.id > y.id ? 1 : 0),
  );
}
