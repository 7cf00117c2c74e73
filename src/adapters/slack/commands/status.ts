/** `/incident status [<status>]`: alone, where the incident stands; with a status, the change (`resolved` resolves). */
import { changeStatus } from '../../../app/incident/change-status.js';
import { stateSummary } from '../blocks/lifecycle-messages.js';
import { requireIncident, type CommandHandler } from './command-context.js';

export const statusCommand: CommandHandler<'status'> = async (ctx) => {
  const incident = requireIncident(ctx);
  const { deps, cmd } = ctx;
  if (cmd.status === null) {
    await ctx.ack(
      stateSummary(incident, await deps.store.incidents.holders(incident.number), deps.clock.now()),
    );
    return;
  }
  const change = await changeStatus(deps, { number: incident.number, status: cmd.status, by: ctx.userId });
  await ctx.ack();
  ctx.later('tell status change', () => deps.notifier.notify(change.notices));
};
