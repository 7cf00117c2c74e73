/** `/incident reopen [reason]`: reopens a resolved incident. */
import { publishReopening, reopenIncident } from '../../../app/incident/reopen-incident.js';
import { registerCommand, requireIncident } from './command-context.js';

registerCommand('reopen', async (ctx) => {
  const incident = requireIncident(ctx);
  const change = reopenIncident(ctx.deps, {
    number: incident.number,
    reason: ctx.cmd.reason,
    by: ctx.userId,
  });
  await ctx.ack();
  ctx.later('publish reopening', () => publishReopening(ctx.deps, change));
});
