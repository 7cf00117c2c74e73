/** `/incident resolve [summary]`: resolves the incident. */
import { resolveIncident } from '../../../app/incident/resolve-incident.js';
import { requireIncident, type CommandHandler } from './command-context.js';

export const resolveCommand: CommandHandler<'resolve'> = async (ctx) => {
  const incident = requireIncident(ctx);
  const change = await resolveIncident(ctx.deps, {
    number: incident.number,
    summary: ctx.cmd.summary,
    by: ctx.userId,
  });
  await ctx.ack();
  ctx.later('tell resolution', () => ctx.deps.notifier.notify(change.notices));
};
