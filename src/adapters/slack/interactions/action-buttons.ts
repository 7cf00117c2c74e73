/**
 * The buttons of action items. "Mark done": stored, then the list the person sees is redrawn and the channel
 * told. "Create issue" (in the list) and "Retry" (on a refusal in the channel): the issue is queued in the
 * tracker outbox, and the person is told where it goes; the worker creates it at its next run.
 */
import type { App } from '@slack/bolt';
import { listActions } from '../../../app/follow-ups/list-actions.js';
import { type IssueRequest, requestIssue } from '../../../app/follow-ups/request-issue.js';
import { completeAction } from '../../../app/postmortem/record-action.js';
import type { Ports } from '../../../app/ports.js';
import { isDomainError } from '../../../domain/errors.js';
import { incidentRef } from '../../../domain/incident.js';
import { ACTION_DONE, actionItemsMessage, FOLLOW_UP_CREATE } from '../blocks/action-items.js';
import { issueLink, TRACKER_NAMES } from '../blocks/follow-ups.js';
import { slackText } from '../mrkdwn.js';
import { FOLLOW_UP_RETRY } from '../notices/follow-up.js';

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
        const view = await listActions(deps, item.incidentNumber);
        await deps.chat.respond(press.response_url, {
          ...actionItemsMessage(incidentRef(item.incidentNumber), view.items, view),
          ephemeral: true,
          replaceOriginal: true,
        });
      }
      await deps.notifier.notify(notices);
    });
  });
  for (const button of [FOLLOW_UP_CREATE, FOLLOW_UP_RETRY]) {
    app.action(button, async ({ ack, body }) => {
      const press = body as unknown as Press;
      const id = Number(press.actions?.find((a) => a.action_id === button)?.value);
      let result: IssueRequest | null = null;
      let problem: string | null = null;
      try {
        result = Number.isInteger(id) ? await requestIssue(deps, id) : null;
        if (!result) problem = 'That button does not name an action item.';
      } catch (e) {
        if (!isDomainError(e)) throw e;
        problem = e.message;
      }
      await ack();
      const url = press.response_url;
      if (!url) return;
      deps.afterAck.run('issue requested', async () => {
        if (problem || !result) {
          await deps.chat.respond(url, {
            text: `:warning: ${problem}`,
            ephemeral: true,
            replaceOriginal: false,
          });
          return;
        }
        const what = slackText(result.item.text);
        const text =
          result.outcome === 'exists'
            ? `"${what}" has its issue already: ${issueLink(result.issue)}.`
            : result.outcome === 'pending'
              ? `The issue of "${what}" is on its way to ${TRACKER_NAMES[result.tracker]}.`
              : `:hourglass_flowing_sand: Creating the issue of "${what}" in ${TRACKER_NAMES[result.tracker]}; the channel is told when it is there.`;
        await deps.chat.respond(url, { text, ephemeral: true, replaceOriginal: false });
      });
    });
  }
}
