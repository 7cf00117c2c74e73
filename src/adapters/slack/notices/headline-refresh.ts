/** Keeps the pinned headline, the announcement and the topic current after a change. */
import { announceChannelOf } from '../../../app/incident/private-announce.js';
import { ChatError } from '../../../domain/ports.js';
import type { Ports } from '../../../app/ports.js';

/** The runner of optional steps lives in the core (provisioning uses it too); re-exported for the Slack side. */
export { bestEffort } from '../../../app/incident/best-effort.js';

/**
 * Re-renders the headline with `chat.update`. When Slack refuses (`cant_update_message`, `message_not_found`:
 * the message was deleted or is not the bot's), a fresh headline is posted and pinned in its place. Other
 * failures are thrown for the caller to report.
 */
export async function refreshHeadline(deps: Ports, number: number): Promise<void> {
  const incident = await deps.store.incidents.get(number);
  if (!incident?.channelId || !incident.headlineTs) return;
  const message = await deps.presenter.headline(incident);
  try {
    await deps.chat.update(incident.channelId, incident.headlineTs, message);
  } catch (e) {
    if (!(e instanceof ChatError && (e.code === 'cant_update_message' || e.code === 'message_not_found')))
      throw e;
    deps.log.info({ incident: number, error: e.code }, 'headline cannot be updated; posting a new one');
    const posted = await deps.chat.post(incident.channelId, message);
    await deps.store.incidents.update(number, { headlineTs: posted.ts }, deps.clock.now());
    await deps.chat.pin(incident.channelId, posted.ts);
  }
}

/** Updates the announcement parent message (status and severity). */
export async function refreshAnnouncement(deps: Ports, number: number): Promise<void> {
  const incident = await deps.store.incidents.get(number);
  if (!incident?.announceTs) return;
  const channel = announceChannelOf(deps.config, incident);
  if (!channel) return;
  await deps.chat.update(channel, incident.announceTs, await deps.presenter.announcement(incident));
}

export async function refreshTopic(deps: Ports, number: number): Promise<void> {
  const incident = await deps.store.incidents.get(number);
  if (!incident?.channelId) return;
  await deps.chat.setTopic(incident.channelId, await deps.presenter.topic(incident));
}
