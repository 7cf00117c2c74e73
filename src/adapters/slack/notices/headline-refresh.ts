/** Keeps the pinned headline, the announcement and the topic current after a change. */
import type { Incident } from '../../../domain/incident.js';
import { ChatError } from '../../../domain/ports.js';
import { headlineView } from '../../../app/incident/headline.js';
import type { Ports } from '../../../app/ports.js';
import { announcementMessage, headlineMessage, topicFor } from '../blocks/headline.js';

/**
 * Re-renders the headline with `chat.update`. When Slack refuses (`cant_update_message`, `message_not_found`:
 * the message was deleted or is not the bot's), a fresh headline is posted and pinned in its place. Other
 * failures are thrown for the caller to report.
 */
export async function refreshHeadline(deps: Ports, number: number): Promise<void> {
  const incident = deps.store.incidents.get(number);
  if (!incident?.channelId || !incident.headlineTs) return;
  const message = headlineMessage(headlineView(deps, incident));
  try {
    await deps.chat.update(incident.channelId, incident.headlineTs, message);
  } catch (e) {
    if (!(e instanceof ChatError && (e.code === 'cant_update_message' || e.code === 'message_not_found')))
      throw e;
    deps.log.info({ incident: number, error: e.code }, 'headline cannot be updated; posting a new one');
    const posted = await deps.chat.post(incident.channelId, message);
    deps.store.incidents.update(number, { headlineTs: posted.ts }, deps.clock.now());
    await deps.chat.pin(incident.channelId, posted.ts);
  }
}

/** Updates the announcement parent message (status and severity). */
export async function refreshAnnouncement(deps: Ports, number: number): Promise<void> {
  const incident = deps.store.incidents.get(number);
  const channel = deps.config.INCIDENT_ANNOUNCE_CHANNEL;
  if (!incident || !channel || !incident.announceTs) return;
  await deps.chat.update(
    channel,
    incident.announceTs,
    announcementMessage(incident, deps.store.incidents.holders(number)),
  );
}

export async function refreshTopic(deps: Ports, number: number): Promise<void> {
  const incident = deps.store.incidents.get(number);
  if (!incident?.channelId) return;
  const ic = deps.store.incidents.holders(number).ic;
  await deps.chat.setTopic(incident.channelId, topicFor(incident, ic ? await deps.users.name(ic) : null));
}

/**
 * Runs optional integration steps (headline, topic, announcement...). A failure never blocks the change
 * that was already stored: it is logged, and told once in the incident channel.
 */
export async function bestEffort(
  deps: Ports,
  incident: Incident,
  steps: [string, () => Promise<unknown>][],
): Promise<string[]> {
  const failed: string[] = [];
  for (const [what, step] of steps) {
    try {
      await step();
    } catch (e) {
      const code = e instanceof ChatError ? e.code : (e as Error).message;
      deps.log.warn({ incident: incident.number, step: what, error: code }, 'optional step failed');
      failed.push(`${what} (${code})`);
    }
  }
  if (failed.length) await deps.notifier.notify([{ kind: 'steps_failed', incident, steps: failed }]);
  return failed;
}
