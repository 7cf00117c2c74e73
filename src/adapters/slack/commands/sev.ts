/** `/incident sev <1-4>`: changes the severity. */
import { changeSeverity } from '../../../app/incident/change-severity.js';
import { requireIncident, type CommandHandler } from './command-context.js';

export const sevCommand: CommandHandler<'sev'> = async (ctx) => {
  const incident = requireIncident(ctx);
  const change = await changeSeverity(ctx.deps, {
    number: incident.number,
    severity: ctx.cmd.severity,
    by: ctx.userId,
  });
  await ctx.ack();
  ctx.later('tell severity change', () => ctx.deps.notifier.notify(change.notices));
};
