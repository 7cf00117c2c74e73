/**
 * Telling a reminder in the incident channel. Its keys were claimed before it was told: when Slack cannot take
 * it for now (rate limited, unreachable), the claims are given back and the next run of the job sends it;
 * anything else (the channel gone or archived) gives it up, so a reminder is never repeated.
 */
import type { Incident } from '../../../domain/incident.js';
import type { Reminder } from '../../../domain/notices/incident.js';
import { ChatError } from '../../../domain/ports.js';
import type { Ports } from '../../../app/ports.js';
import { roleReminder, updateReminder } from '../blocks/lifecycle-messages.js';
import { postJoining } from './broadcast.js';

/** Slack failures worth another try at the next run; anything else (channel gone, archived) is given up. */
const TRANSIENT = new Set([
  'ratelimited',
  'request_failed',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'unknown_error',
]);
/** Whether a failed Slack call is worth another try at the next run (rate limited, unreachable, Slack down). */
export const isTransient = (e: unknown): boolean =>
  !(e instanceof ChatError) || TRANSIENT.has(e.code) || e.code.startsWith('http_');

/** Posts the reminder (joining the channel if needed); gives the claims back when the failure is worth another try. */
export async function tellReminder(
  ports: Ports,
  incident: Incident,
  reminder: Reminder,
  keys: readonly string[],
): Promise<void> {
  if (!incident.channelId) return;
  const message =
    reminder.kind === 'update'
      ? updateReminder(incident, reminder.who, reminder.silentMs, reminder.cadenceMinutes)
      : roleReminder(reminder.roles, reminder.commander, reminder.minutes);
  try {
    await postJoining(ports, incident.channelId, message);
    ports.log.info({ incident: incident.number, reminders: keys }, 'reminder sent');
  } catch (e) {
    if (isTransient(e)) {
      await ports.store.tx(async () => {
        for (const k of keys) await ports.store.reminders.release(incident.number, k);
      });
    }
    ports.log.warn({ incident: incident.number, reminders: keys, err: e }, 'reminder not delivered');
  }
}
