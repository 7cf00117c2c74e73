/** `/incident role [<ic|comms|scribe|tech> <@person>]`: alone, the holders; with a person, the handover. */
import { assignRole, publishRoleChange } from '../../../app/assign-role.js';
import { roleList } from '../blocks/lifecycle-messages.js';
import { registerCommand, requireIncident } from './command-context.js';

registerCommand('role', async (ctx) => {
  const incident = requireIncident(ctx);
  const { deps, cmd } = ctx;
  if (cmd.role === null || cmd.user === null) {
    await ctx.ack(roleList(incident, deps.store.incidents.holders(incident.number)));
    return;
  }
  const change = await assignRole(deps, {
    number: incident.number,
    role: cmd.role,
    userId: cmd.user,
    by: ctx.userId,
  });
  await ctx.ack();
  ctx.later('publish role change', () => publishRoleChange(deps, change));
});
