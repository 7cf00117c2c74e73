/**
 * The periodic escalation prompt: a sev1 or sev2 page that PagerDuty took but nobody acknowledged for
 * PAGE_ESCALATION_MINUTES (10 by default, 0 turns it off) is told once in the incident channel, with an
 * Escalate button. Derived from stored times, so a restart neither loses nor repeats a prompt.
 */
import type { PagingNotice } from '../../domain/notices.js';
import { escalationPromptDue, type Page } from '../../domain/page.js';
import type { Ports } from '../ports.js';

/**
 * Claims every escalation prompt that is due and returns them as `escalation_prompt` notices. The claim is
 * stored first, and only over the prompt time this run read: two runs at the same moment (every instance runs
 * this job) both find the prompt due, and only the first to claim it prompts. A prompt that could not be shown
 * is released (releaseEscalationPrompt) and tried again at the next run.
 */
export async function promptEscalations(
  ports: Pick<Ports, 'config' | 'store' | 'clock'>,
): Promise<PagingNotice[]> {
  const minutes = ports.config.PAGE_ESCALATION_MINUTES;
  if (minutes <= 0) return [];
  const notices: PagingNotice[] = [];
  for (const page of await ports.store.pages.withStatus(['triggered'])) {
    const incident = await ports.store.incidents.get(page.incidentNumber);
    if (!incident?.channelId || incident.status === 'resolved') continue;
    const now = ports.clock.now();
    if (!escalationPromptDue(page, incident.severity, now, minutes)) continue;
    const claimed = await ports.store.pages.claimEscalationPrompt(page.id, page.escalationPromptedAt, now);
    if (!claimed) continue;
    notices.push({
      kind: 'escalation_prompt',
      page: claimed,
      incident,
      minutes,
      previousPromptAt: page.escalationPromptedAt,
    });
  }
  return notices;
}

/** Gives a prompt that could not be shown back to the next run. */
export async function releaseEscalationPrompt(
  ports: Pick<Ports, 'store'>,
  page: Pick<Page, 'id'>,
  previousPromptAt: number | null,
): Promise<void> {
  await ports.store.pages.update(page.id, { escalationPromptedAt: previousPromptAt });
}
