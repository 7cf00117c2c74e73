/** "Mark done" on an action item: stored, then the list the person sees is redrawn and the channel told. */
import type { App } from '@slack/bolt';
import { completeAction } from '../../../app/postmortem/record-action.js';
import type { Ports } from '../../../app/ports.js';
import { isDomainError } from '../../../domain/errors.js';
import { incidentRef } from '../../../domain/incident.js';
import { ACTION_DONE, actionItemsMessage } from '../blocks/action-items.js';

interface Press {
  user?: { id?: string };
  response_url?: string;
  actions?: { action_id?: string; value?: string }[];
}

export function registerActionButtons(app: App, deps: Ports): void {
  app.action(ACTION_DONE, async ({ ack, body }) => {
    const press = body as unknown as Press;
    const id = Number(press.actions?.find((a) => a.action_id === ACTION_DONE)?.value);
    const user = press.user?.id ?? 'unknown';
    let result: Awaited<ReturnType<typeof completeAction>> | null = null;
    let problem: string | null = null;
    try {
      result = Number.isInteger(id) ? await completeAction(deps, id, user) : null;
      if (!result) problem = 'That button does not name an action item.';
    } catch (e) {
      if (!isDomainError(e)) throw e;
      problem = e.message;
    }
    await ack();
    deps.afterAck.run('action done follow-up', async () => {
      if (problem || !result) {
        if (press.response_url)
          await deps.chat.respond(press.response_url, { text: `:warning: ${problem}`, ephemeral: true });
        return;
      }
      const { item, notices } = result;
      if (press.response_url) {
        await deps.chat.respond(press.response_url, {
          ...actionItemsMessage(
            incidentRef(item.incidentNumber),
            await deps.store.actions.list(item.incidentNumber),
          ),
          ephemeral: true,
          replaceOriginal: true,
        });
      }
      await deps.notifier.notify(notices);
    });
  });
}
