/** `/incident action <text> [<@owner>] [p0-p3] [due YYYY-MM-DD]` and `/incident actions [--all]`. */
import { incidentRef } from '../../../domain/incident.js';
import { listActions } from '../../../app/follow-ups/list-actions.js';
import { checkOwner, recordAction } from '../../../app/postmortem/record-action.js';
import { openActions } from '../../../app/follow-ups/open-actions.js';
import { actionItemsMessage } from '../blocks/action-items.js';
import { openActionsMessage } from '../blocks/open-actions.js';
import { requireIncident, type CommandHandler } from './command-context.js';

export const actionCommand: CommandHandler<'action'> = async (ctx) => {
  const incident = requireIncident(ctx);
  const { cmd } = ctx;
  // users.info is a cache hit for known people, so this stays within the ack budget.
  await checkOwner(ctx.deps, cmd.owner);
  const { notices } = await recordAction(ctx.deps, incident, {
    text: cmd.text,
    ownerId: cmd.owner,
    priority: cmd.priority,
    due: cmd.due,
    actor: ctx.userId,
  });
  await ctx.ack();
  ctx.later('confirm action item', () => ctx.deps.notifier.notify(notices));
};

export const actionsCommand: CommandHandler<'actions'> = async (ctx) => {
  // `--all` is typed anywhere: private incidents' items only for members of their channels
  if (ctx.cmd.all) {
    await ctx.ack(openActionsMessage(await openActions(ctx.deps, ctx.userId)));
    return;
  }
  const incident = requireIncident(ctx);
  const view = await listActions(ctx.deps, incident.number);
  await ctx.ack(actionItemsMessage(incidentRef(incident.number), view.items, view));
};
