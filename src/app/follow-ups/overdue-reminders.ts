/**
 * The weekly DM of overdue follow-ups (FOLLOW_UP_REMINDER=weekly): once per ISO week, on the first run at or
 * after Monday 09:00 in INCIDENT_TIMEZONE, each owner of open action items past due is told of them. Each
 * owner's reminder of the week is claimed in the store before it is told (owner + week is unique), so two
 * instances, or a restart, never DM twice; the Slack notifier gives the claim back when the DM could not go
 * out for now, and the next run tries again. Off (FOLLOW_UP_REMINDER=off), the job does nothing.
 *
 * Private incidents' items are included: the DM goes to the item's owner alone.
 */
import type { Incident } from '../../domain/incident.js';
import type { FollowUpNotice, OverdueFollowUp } from '../../domain/notices/follow-up.js';
import type { PeriodicJob } from '../../runtime/periodic-jobs.js';
import type { Ports } from '../ports.js';
import { workspaceDay } from './workspace-calendar.js';

type OverdueNotice = Extract<FollowUpNotice, { kind: 'follow_ups_overdue' }>;

/**
 * Owners whose reminder of `week` was found claimed already (told by this instance or another): they are not
 * asked for again that week, so a run every few seconds writes nothing once the week's DMs are out. An owner
 * this run claimed is not remembered: when the DM fails and the claim is given back, the next run claims it
 * again.
 */
export interface ClaimedOwners {
  week: string;
  owners: Set<string>;
}

/**
 * Claims this week's reminder of every owner with open items past due and returns one notice per owner
 * claimed (none before Monday 09:00, none once all were claimed, none when the reminder is off).
 */
export async function dueOverdueReminders(
  ports: Pick<Ports, 'store' | 'clock' | 'config' | 'log'>,
  claimed: ClaimedOwners = { week: '', owners: new Set() },
): Promise<OverdueNotice[]> {
  if (ports.config.FOLLOW_UP_REMINDER === 'off') return [];
  const now = ports.clock.now();
  const { today, week, weeklyReminderDue } = workspaceDay(now, ports.config.INCIDENT_TIMEZONE);
  if (!weeklyReminderDue) return [];
  if (claimed.week !== week) {
    claimed.week = week;
    claimed.owners.clear();
  }
  const { store } = ports;
  const incidents = new Map<number, Incident | null>();
  const incidentOf = async (n: number): Promise<Incident | null> => {
    if (!incidents.has(n)) incidents.set(n, await store.incidents.get(n));
    return incidents.get(n) ?? null;
  };
  const notices: OverdueNotice[] = [];
  for (const { ownerId, items } of await store.actions.overdueByOwner(today)) {
    if (claimed.owners.has(ownerId)) continue;
    try {
      // read everything first: once claimed, nothing may fail before the notice is returned, or the owner's
      // reminder would be held all week with no DM sent
      const overdue: OverdueFollowUp[] = [];
      for (const item of items) {
        const incident = await incidentOf(item.incidentNumber);
        if (!incident) continue;
        overdue.push({ item, incident, issue: (await store.followUps.get(item.id))?.issue ?? null });
      }
      if (!(await store.actions.claimOwnerReminder(ownerId, week, now))) {
        claimed.owners.add(ownerId);
        continue;
      }
      notices.push({ kind: 'follow_ups_overdue', ownerId, week, items: overdue });
    } catch (err) {
      // one owner's failure does not keep the others' reminders back; the next run tries this owner again
      ports.log.error({ err, owner: ownerId }, 'overdue follow-up reminder failed');
    }
  }
  return notices;
}

/** The periodic job: tells the week's overdue reminders due now (compose.ts registers it). */
export function overdueRemindersJob(): PeriodicJob {
  const claimed: ClaimedOwners = { week: '', owners: new Set() };
  return async (ports) => ports.notifier.notify(await dueOverdueReminders(ports, claimed));
}
