/** `/incident update <text>`: a status update for the channel, the announcement thread and the timeline. */
import { postUpdate } from '../../../app/incident/post-update.js';
import { requireIncident, type CommandHandler } from './command-context.js';

export const updateCommand: CommandHandler<'update'> = async (ctx) => {
  const incident = requireIncident(ctx);
  const posted = await postUpdate(ctx.deps, { number: incident.number, text: ctx.cmd.text, by: ctx.userId });
  await ctx.ack();
  ctx.later('tell update', () => ctx.deps.notifier.notify(posted.notices));
};
