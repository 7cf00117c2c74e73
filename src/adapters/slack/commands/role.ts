/** `/incident role [<ic|comms|scribe|tech> <@person>]`: alone, the holders; with a person, the handover. */
import { assignRole } from '../../../app/incident/assign-role.js';
import { isDomainError } from '../../../domain/errors.js';
import { answerWithin } from '../../../runtime/answer-within.js';
import { roleList } from '../blocks/lifecycle-messages.js';
import { requireIncident, type CommandHandler } from './command-context.js';

/**
 * How long the ack may wait for Slack to say who the new holder is (a bot? deactivated?). Past it, Slack's
 * 3 s limit is near: the person is told the check is under way and gets the outcome afterwards.
 */
const PROFILE_WAIT_MS = 1500;

export const roleCommand: CommandHandler<'role'> = async (ctx) => {
  const incident = requireIncident(ctx);
  const { deps, cmd } = ctx;
  if (cmd.role === null || cmd.user === null) {
    await ctx.ack(roleList(incident, await deps.store.incidents.holders(incident.number)));
    return;
  }
  const input = { number: incident.number, role: cmd.role, userId: cmd.user, by: ctx.userId };
  const known = await answerWithin(
    deps.users.get(cmd.user).then(() => true),
    PROFILE_WAIT_MS,
    false,
  );
  if (known) {
    const change = await assignRole(deps, input);
    await ctx.ack();
    ctx.later('tell role change', () => deps.notifier.notify(change.notices));
    return;
  }
  await ctx.ack(
    `:hourglass_flowing_sand: Checking <@${cmd.user}> with Slack before making them ${cmd.role}…`,
  );
  ctx.later('assign role after the profile lookup', async () => {
    try {
      const change = await assignRole(deps, input);
      await deps.notifier.notify(change.notices);
      // the channel's confirmation is the answer: "Checking…" goes
      await ctx.replace(null);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      await ctx.replace(`:warning: ${e.message}`);
    }
  });
};
