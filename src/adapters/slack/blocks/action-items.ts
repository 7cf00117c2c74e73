/**
 * The `actions` list: one section per item with its issue (or where it stands), a "Mark done" button on open
 * items, and "Create issue" (or "Retry") where a tracker takes the incident's follow-ups and the item has no
 * issue. Pure.
 */
import type { ActionItem } from '../../../domain/action-item.js';
import type { FollowUp } from '../../../domain/follow-up.js';
import { MUSTER_ACTOR } from '../../../domain/page.js';
import type { ChatMessage, TrackerKind } from '../../../domain/ports.js';
import { mention, slackText } from '../mrkdwn.js';
import { fitMrkdwn, SLACK_LIMITS } from '../text-fit.js';
import { issueLink, TRACKER_NAMES } from './follow-ups.js';

export const ACTION_DONE = 'action.done';
export const FOLLOW_UP_CREATE = 'follow_up.create';

/** Slack allows 50 blocks per message: the heading, up to two per item, and the count of the rest. */
const MAX_BLOCKS = 48;

export interface ActionItemsExtras {
  /** the follow-up of each item that has one, by action id */
  followUps?: ReadonlyMap<number, FollowUp>;
  /** the tracker a "Create issue" sends to; null or absent: no button */
  tracker?: TrackerKind | null;
}

const doneBy = (id: string): string => (id === MUSTER_ACTOR ? 'Muster' : mention(id));

/** Where the item's issue stands, as one short line part; empty when it has none. */
function issueText(f: FollowUp | undefined): string {
  if (!f) return '';
  const name = TRACKER_NAMES[f.target.tracker];
  if (f.status === 'created' && f.issue) return ` · ${issueLink(f.issue)}`;
  if (f.status === 'failed') return ` · :warning: not created in ${name}`;
  return ` · issue on its way to ${name}`;
}

function button(actionId: string, value: number, text: string): unknown {
  return { type: 'button', action_id: actionId, value: String(value), text: { type: 'plain_text', text } };
}

export function actionItemsMessage(
  incidentRef: string,
  items: ActionItem[],
  extras: ActionItemsExtras = {},
): ChatMessage {
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
  let shown = 0;
  for (const i of items) {
    const f = extras.followUps?.get(i.id);
    // an item with no issue, or a refused one, gets its issue button where a tracker takes follow-ups
    const issueButton =
      f?.status === 'failed'
        ? button(FOLLOW_UP_CREATE, i.id, 'Retry issue')
        : !f && extras.tracker
          ? button(FOLLOW_UP_CREATE, i.id, `Create issue`)
          : null;
    const buttons = [
      ...(i.doneAt ? [] : [button(ACTION_DONE, i.id, 'Mark done')]),
      ...(issueButton ? [issueButton] : []),
    ];
    const needs = buttons.length > 1 ? 2 : 1;
    if (blocks.length + needs > MAX_BLOCKS) break;
    const before = `${i.doneAt ? ':white_check_mark: ~' : ''}*${i.priority.toUpperCase()}* `;
    const after = `${i.doneAt ? '~' : ''}\n${i.ownerId ? `owner ${mention(i.ownerId)}` : '_no owner_'}${
      i.due ? ` · due ${i.due}` : ''
    }${i.doneBy ? ` · done by ${doneBy(i.doneBy)}` : ''}${issueText(f)}`;
    // the item's text (Slack text, escaped once) gets what the section leaves; owner, due and issue always show
    const text = fitMrkdwn(slackText(i.text), SLACK_LIMITS.sectionText - before.length - after.length);
    const section = {
      type: 'section',
      block_id: `action:${i.id}`,
      text: { type: 'mrkdwn', text: `${before}${text}${after}` },
    };
    if (buttons.length === 1) blocks.push({ ...section, accessory: buttons[0] });
    else blocks.push(section);
    if (buttons.length > 1)
      blocks.push({ type: 'actions', block_id: `action-buttons:${i.id}`, elements: buttons });
    shown++;
  }
  if (shown < items.length) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${items.length - shown} more in the postmortem.` }],
    });
  }
  return { text: `Action items of ${incidentRef}: ${open} open, ${items.length - open} done`, blocks };
}
