/**
 * Reminders, derived from stored times at every run of the periodic job:
 * - no update for the severity's cadence (UPDATE_CADENCE_MINUTES, 0 = none): the comms lead, or the
 *   commander when there is none, is reminded in the channel, again after each further cadence;
 * - a role still unfilled ROLE_REMINDER_MINUTES after declaring (0 = never): one reminder to the commander.
 * Each reminder's key comes from stored times (`update:<since>:<cadence>:<n>`, `role:<role>`) and is claimed in
 * reminders_sent before it is told, so a restart neither loses a due reminder nor repeats a sent one (the
 * notifier gives a claim back when the chat could not take the reminder for now). Resolved incidents are not
 * open, so their reminders stop; a reopening restarts the update cadence.
 */
import type { Incident } from '../../domain/incident.js';
import type { Notice } from '../../domain/notices.js';
import type { Reminder } from '../../domain/notices/incident.js';
import { unfilledRoles } from '../../domain/roles.js';
import type { Ports } from '../ports.js';

const MINUTE = 60_000;

/** The periodic job: tells every reminder due now. One incident's failure does not stop the others. */
export async function runReminders(
  ports: Pick<Ports, 'store' | 'clock' | 'config' | 'log' | 'notifier'>,
): Promise<void> {
  const now = ports.clock.now();
  for (const incident of await ports.store.incidents.listOpen()) {
    if (!incident.channelId) continue;
    try {
      await ports.notifier.notify(await dueReminders(ports, incident, now));
    } catch (err) {
      ports.log.error({ err, incident: incident.number }, 'reminders failed');
    }
  }
}

/** Claims the reminders of `incident` due at `now` and returns them as notices (none when all were told). */
export async function dueReminders(
  ports: Pick<Ports, 'store' | 'config'>,
  incident: Incident,
  now: number,
): Promise<Notice[]> {
  const notices: Notice[] = [];
  for (const due of [await updateReminder(ports, incident, now), await rolesReminder(ports, incident, now)]) {
    if (!due) continue;
    const keys = await ports.store.tx(async () => {
      const claimed: string[] = [];
      for (const k of due.keys)
        if (await ports.store.reminders.claim(incident.number, k, now)) claimed.push(k);
      return claimed;
    });
    if (keys.length) notices.push({ kind: 'reminder_due', incident, reminder: due.reminder, keys });
  }
  return notices;
}

/** When the silence being measured started: the last update, the declaration, or the last reopening. */
export async function silentSince(ports: Pick<Ports, 'store'>, incident: Incident): Promise<number> {
  const reopened = (await ports.store.timeline.latest(incident.number, 'reopened'))?.occurredAt;
  return Math.max(incident.declaredAt, incident.lastUpdateAt ?? 0, reopened ?? 0);
}

/**
 * When the next status update is due: one cadence of the severity after the silence began (the last update,
 * the declaration or the last reopening); null when the severity has no cadence or the incident is resolved.
 * A time in the past means the update is overdue.
 */
export async function nextUpdateDue(
  ports: Pick<Ports, 'store' | 'config'>,
  incident: Incident,
): Promise<number | null> {
  const cadence = ports.config.UPDATE_CADENCE_MINUTES[incident.severity - 1] ?? 0;
  if (cadence <= 0 || incident.status === 'resolved') return null;
  return (await silentSince(ports, incident)) + cadence * MINUTE;
}

type Due = { reminder: Reminder; keys: string[] } | null;

async function updateReminder(
  ports: Pick<Ports, 'store' | 'config'>,
  incident: Incident,
  now: number,
): Promise<Due> {
  const cadence = ports.config.UPDATE_CADENCE_MINUTES[incident.severity - 1] ?? 0;
  if (cadence <= 0) return null;
  const since = await silentSince(ports, incident);
  const periods = Math.floor((now - since) / (cadence * MINUTE));
  if (periods < 1) return null;
  const holders = await ports.store.incidents.holders(incident.number);
  const who = holders.comms ?? holders.ic;
  if (!who) return null;
  // several periods missed while stopped give one reminder, for the latest
  return {
    reminder: { kind: 'update', who, silentMs: now - since, cadenceMinutes: cadence },
    keys: [`update:${since}:${cadence}:${periods}`],
  };
}

async function rolesReminder(
  ports: Pick<Ports, 'store' | 'config'>,
  incident: Incident,
  now: number,
): Promise<Due> {
  const minutes = ports.config.ROLE_REMINDER_MINUTES;
  if (minutes <= 0 || now < incident.declaredAt + minutes * MINUTE) return null;
  const holders = await ports.store.incidents.holders(incident.number);
  const sent = new Set(await ports.store.reminders.keys(incident.number));
  const roles = unfilledRoles(holders).filter((r) => !sent.has(`role:${r}`));
  if (roles.length === 0) return null;
  return {
    reminder: { kind: 'roles', roles, commander: holders.ic ?? null, minutes },
    keys: roles.map((r) => `role:${r}`),
  };
}
