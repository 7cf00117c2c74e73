/** `/incident postmortem`: acknowledged at once; the draft is written and shared after the ack. */
import { publishPostmortem } from '../../../app/postmortem/publish-postmortem.js';
import { blamelessMessage } from '../blocks/postmortem.js';
import { requireIncident, type CommandHandler } from './command-context.js';

export const postmortemCommand: CommandHandler<'postmortem'> = async (ctx) => {
  const incident = requireIncident(ctx);
  await ctx.ack(':hourglass_flowing_sand: Writing the postmortem draft from the timeline…');
  ctx.later('publish postmortem', async () => {
    let r: Awaited<ReturnType<typeof publishPostmortem>>;
    try {
      r = await publishPostmortem(ctx.deps, incident.number, ctx.userId);
    } catch (e) {
      await ctx.replace(
        `:x: The postmortem draft could not be written (request ${ctx.requestId}). The team can find why in the logs.`,
      );
      throw e;
    }
    await ctx.deps.notifier.notify(r.notices);
    // The draft (or why it is missing) is in the channel now: "Writing…" gives way to the suggestions, seen
    // only by the person who asked, or goes.
    await ctx.replace(blamelessMessage(r.findings));
  });
};
