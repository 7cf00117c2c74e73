/** The `actions` list: one section per item, with a "Mark done" button on open ones. Pure. */
import type { ActionItem } from '../../../domain/action-item.js';
import { MUSTER_ACTOR } from '../../../domain/page.js';
import type { ChatMessage } from '../../../domain/ports.js';
import { mention, slackText } from '../mrkdwn.js';
import { fitMrkdwn, SLACK_LIMITS } from '../text-fit.js';

export const ACTION_DONE = 'action.done';

/** Slack allows 50 blocks per message; the rest are counted. */
const MAX_ITEMS = 45;

/** Who marked an item done: a person, or Muster when it followed its closed issue and nobody in Slack closed it. */
const doneBy = (id: string): string => (id === MUSTER_ACTOR ? 'Muster' : mention(id));

export function actionItemsMessage(incidentRef: string, items: ActionItem[]): ChatMessage {
  if (items.length === 0) {
    return {
      text: `No action items for ${incidentRef} yet. Record one with \`/incident action <text> [<@owner>] [p0-p3] [due YYYY-MM-DD]\`.`,
    };
  }
  const open = items.filter((i) => !i.doneAt).length;
  const blocks: unknown[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Action items of ${incidentRef}* (${open} open, ${items.length - open} done)`,
      },
    },
  ];
  for (const i of items.slice(0, MAX_ITEMS)) {
    const before = `${i.doneAt ? ':white_check_mark: ~' : ''}*${i.priority.toUpperCase()}* `;
    const after = `${i.doneAt ? '~' : ''}\n${i.ownerId ? `owner ${mention(i.ownerId)}` : '_no owner_'}${
      i.due ? ` · due ${i.due}` : ''
    }${i.doneBy ? ` · done by ${doneBy(i.doneBy)}` : ''}`;
    // the item's text (Slack text, escaped once) gets what the section leaves; owner and due always show
    const text = fitMrkdwn(slackText(i.text), SLACK_LIMITS.sectionText - before.length - after.length);
    const line = `${before}${text}${after}`;
    blocks.push({
      type: 'section',
      block_id: `action:${i.id}`,
      text: { type: 'mrkdwn', text: line },
      ...(i.doneAt
        ? {}
        : {
            accessory: {
              type: 'button',
              action_id: ACTION_DONE,
              value: String(i.id),
              text: { type: 'plain_text', text: 'Mark done' },
            },
          }),
    });
  }
  if (items.length > MAX_ITEMS) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${items.length - MAX_ITEMS} more in the postmortem.` }],
    });
  }
  return { text: `Action items of ${incidentRef}: ${open} open, ${items.length - open} done`, blocks };
}
