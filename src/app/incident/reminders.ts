/**
 * Reminders, derived from stored times at every run of the periodic job:
 * - no update for the severity's cadence (UPDATE_CADENCE_MINUTES, 0 = none): the comms lead, or the
 *   commander when there is none, is reminded in the channel, again after each further cadence;
 * - a role still unfilled ROLE_REMINDER_MINUTES after declaring (0 = never): one reminder to the commander.
 * Each reminder's key comes from stored times (`update:<since>:<cadence>:<n>`, `role:<role>`) and is claimed in
 * reminders_sent before posting, so a restart neither loses a due reminder nor repeats a sent one. Resolved
 * incidents are not open, so their reminders stop; a reopening restarts the update cadence.
 */
import { roleReminder, updateReminder } from '../../adapters/slack/blocks/lifecycle-messages.js';
import type { Incident } from '../../domain/incident.js';
import { ChatError, type ChatMessage } from '../../domain/ports.js';
import { unfilledRoles } from '../../domain/roles.js';
import type { Ports } from '../ports.js';
import { postJoining } from '../../adapters/slack/notices/broadcast.js';

const MINUTE = 60_000;

/** Slack failures worth another try at the next run; anything else (channel gone, archived) is given up. */
const TRANSIENT = new Set([
  'ratelimited',
  'request_failed',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'unknown_error',
]);
const isTransient = (e: unknown): boolean =>
  !(e instanceof ChatError) || TRANSIENT.has(e.code) || e.code.startsWith('http_');

/** The periodic job: sends every reminder due now. One incident's failure does not stop the others. */
export async function runReminders(deps: Ports): Promise<void> {
  const now = deps.clock.now();
  for (const incident of deps.store.incidents.listOpen()) {
    if (!incident.channelId) continue;
    try {
      await remindUpdate(deps, incident, now);
      await remindRoles(deps, incident, now);
    } catch (err) {
      deps.log.error({ err, incident: incident.number }, 'reminders failed');
    }
  }
}

/** When the silence being measured started: the last update, the declaration, or the last reopening. */
export function silentSince(deps: Ports, incident: Incident): number {
  const reopened = deps.store.timeline
    .list(incident.number)
    .filter((e) => e.kind === 'reopened')
    .at(-1)?.occurredAt;
  return Math.max(incident.declaredAt, incident.lastUpdateAt ?? 0, reopened ?? 0);
}

async function remindUpdate(deps: Ports, incident: Incident, now: number): Promise<void> {
  const cadence = deps.config.UPDATE_CADENCE_MINUTES[incident.severity - 1] ?? 0;
  if (cadence <= 0) return;
  const since = silentSince(deps, incident);
  const periods = Math.floor((now - since) / (cadence * MINUTE));
  if (periods < 1) return;
  const holders = deps.store.incidents.holders(incident.number);
  const who = holders.comms ?? holders.ic;
  if (!who) return;
  // several periods missed while stopped give one reminder, for the latest
  await send(
    deps,
    incident,
    [`update:${since}:${cadence}:${periods}`],
    updateReminder(incident, who, now - since, cadence),
    now,
  );
}

async function remindRoles(deps: Ports, incident: Incident, now: number): Promise<void> {
  const minutes = deps.config.ROLE_REMINDER_MINUTES;
  if (minutes <= 0 || now < incident.declaredAt + minutes * MINUTE) return;
  const holders = deps.store.incidents.holders(incident.number);
  const sent = new Set(deps.store.reminders.keys(incident.number));
  const roles = unfilledRoles(holders).filter((r) => !sent.has(`role:${r}`));
  if (roles.length === 0) return;
  await send(
    deps,
    incident,
    roles.map((r) => `role:${r}`),
    roleReminder(roles, holders.ic ?? null, minutes),
    now,
  );
}

/** Claims the keys, posts; gives the claims back when the failure is worth another try. */
async function send(
  deps: Ports,
  incident: Incident,
  keys: string[],
  message: ChatMessage,
  now: number,
): Promise<void> {
  const claimed = deps.store.tx(() =>
    keys.filter((k) => deps.store.reminders.claim(incident.number, k, now)),
  );
  if (claimed.length === 0) return;
  try {
    await postJoining(deps, incident.channelId!, message);
    deps.log.info({ incident: incident.number, reminders: claimed }, 'reminder sent');
  } catch (e) {
    if (isTransient(e)) {
      deps.store.tx(() => {
        for (const k of claimed) deps.store.reminders.release(incident.number, k);
      });
    }
    deps.log.warn({ incident: incident.number, reminders: claimed, err: e }, 'reminder not delivered');
  }
}
