/** `/incident reopen [reason]`: reopens a resolved incident. */
import { reopenIncident } from '../../../app/incident/reopen-incident.js';
import { requireIncident, type CommandHandler } from './command-context.js';

export const reopenCommand: CommandHandler<'reopen'> = async (ctx) => {
  const incident = requireIncident(ctx);
  const change = await reopenIncident(ctx.deps, {
    number: incident.number,
    reason: ctx.cmd.reason,
    by: ctx.userId,
  });
  await ctx.ack();
  ctx.later('tell reopening', () => ctx.deps.notifier.notify(change.notices));
};
