/** The IncidentPresenter port in Slack's words: the headline and announcement as Block Kit, the topic and title as plain text. */
import { headlineView } from '../../app/incident/headline.js';
import type { Ports } from '../../app/ports.js';
import type { Incident } from '../../domain/incident.js';
import type { ChatMessage, IncidentPresenter } from '../../domain/ports.js';
import { announcementMessage, headlineMessage, topicFor } from './blocks/headline.js';
import { slackPlain } from './mrkdwn.js';
import { redactedPrivateNotice } from './blocks/private-incident.js';

export class SlackIncidentPresenter implements IncidentPresenter {
  /** `ports` is read when something is worded: the presenter is itself one of the ports. */
  constructor(private readonly ports: () => Ports) {}

  /** The title is Slack text: named from what people read (`a < b`), not from its entities (`a &lt; b`). */
  plainTitle(incident: Incident): string {
    return slackPlain(incident.title);
  }

  async headline(incident: Incident): Promise<ChatMessage> {
    return headlineMessage(await headlineView(this.ports(), incident));
  }

  /** A private incident's announcement is redacted: its severity and commander, nothing of its title or channel. */
  async announcement(incident: Incident): Promise<ChatMessage> {
    const holders = await this.ports().store.incidents.holders(incident.number);
    if (incident.private) return redactedPrivateNotice(incident, holders.ic ?? null);
    return announcementMessage(incident, holders);
  }

  async topic(incident: Incident): Promise<string> {
    const { store, users } = this.ports();
    const ic = (await store.incidents.holders(incident.number)).ic;
    return topicFor(incident, ic ? await users.name(ic) : null);
  }
}
