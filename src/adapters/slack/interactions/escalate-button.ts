/**
 * The Escalate button of escalation prompts and "already paged" answers: the escalation is stored (timeline
 * entry and outbox row) before the ack; its notice, told after, gets it delivered and tells the channel who
 * escalated. A second press, a page acknowledged or resolved meanwhile, or a resolved incident get an ephemeral
 * explanation.
 */
import type { App } from '@slack/bolt';
import type { Ports } from '../../../app/ports.js';
import { type EscalationResult, escalatePage } from '../../../app/paging/escalate-page.js';
import { isDomainError } from '../../../domain/errors.js';
import { ESCALATE_ACTION, parseEscalateValue } from '../blocks/page-messages.js';

interface Press {
  user?: { id?: string };
  response_url?: string;
  channel?: { id?: string };
  actions?: { action_id?: string; value?: string }[];
}

export function registerEscalateButton(app: App, deps: Ports): void {
  app.action(ESCALATE_ACTION, async ({ ack, body }) => {
    const press = body as unknown as Press;
    const user = press.user?.id ?? 'unknown';
    const value = parseEscalateValue(
      press.actions?.find((a) => a.action_id === ESCALATE_ACTION)?.value ?? '',
    );
    let result: EscalationResult | null = null;
    let problem: string | null = null;
    try {
      if (value)
        result = await escalatePage(deps, { pageId: value.pageId, fromLevel: value.fromLevel, by: user });
      else problem = 'That button does not name a page.';
    } catch (e) {
      if (!isDomainError(e)) throw e;
      problem = e.message;
    }
    await ack();
    if (!result) {
      deps.afterAck.run('explain escalation refusal', async () => {
        const text = `:warning: ${problem}`;
        if (press.response_url) await deps.chat.respond(press.response_url, { text, ephemeral: true });
        else if (press.channel?.id) await deps.chat.postEphemeral(press.channel.id, user, { text });
      });
      return;
    }
    const { notices } = result;
    deps.afterAck.run('announce escalation', () => deps.notifier.notify(notices));
  });
}
