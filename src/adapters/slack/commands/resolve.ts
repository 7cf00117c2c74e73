/** `/incident resolve [summary]`: resolves the incident. */
import { publishResolution, resolveIncident } from '../../../app/incident/resolve-incident.js';
import { registerCommand, requireIncident } from './command-context.js';

registerCommand('resolve', async (ctx) => {
  const incident = requireIncident(ctx);
  const change = resolveIncident(ctx.deps, {
    number: incident.number,
    summary: ctx.cmd.summary,
    by: ctx.userId,
  });
  await ctx.ack();
  ctx.later('publish resolution', () => publishResolution(ctx.deps, change));
});
