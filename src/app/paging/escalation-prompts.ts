/**
 * The periodic escalation prompt: a sev1 or sev2 page that PagerDuty took but nobody acknowledged for
 * PAGE_ESCALATION_MINUTES (10 by default, 0 turns it off) is told once in the incident channel, with an
 * Escalate button. Derived from stored times, so a restart neither loses nor repeats a prompt.
 */
import { escalationPromptMessage } from '../../adapters/slack/blocks/page-messages.js';
import { escalationPromptDue } from '../../domain/page.js';
import type { Ports } from '../ports.js';
import { postJoining } from '../../adapters/slack/notices/broadcast.js';

/** Posts every escalation prompt that is due; a prompt Slack refused is tried again at the next run. */
export async function promptEscalations(deps: Ports): Promise<void> {
  const minutes = deps.config.PAGE_ESCALATION_MINUTES;
  if (minutes <= 0) return;
  for (const page of deps.store.pages.withStatus(['triggered'])) {
    const incident = deps.store.incidents.get(page.incidentNumber);
    if (!incident?.channelId || incident.status === 'resolved') continue;
    const now = deps.clock.now();
    if (!escalationPromptDue(page, incident.severity, now, minutes)) continue;
    // Claimed before posting, so two runs never both post it.
    deps.store.pages.update(page.id, { escalationPromptedAt: now });
    try {
      await postJoining(deps, incident.channelId, escalationPromptMessage(page, minutes));
      deps.log.info(
        { incident: incident.number, page: page.id, service: page.service },
        'escalation prompted',
      );
    } catch (e) {
      deps.store.pages.update(page.id, { escalationPromptedAt: page.escalationPromptedAt });
      deps.log.warn(
        { incident: incident.number, page: page.id, err: e },
        'could not post the escalation prompt',
      );
    }
  }
}
