/** `/incident postmortem`: acknowledged at once; the draft is rendered and uploaded after the ack. */
import { blamelessMessage, publishPostmortem } from '../../../app/postmortem/publish-postmortem.js';
import { requireIncident, type CommandHandler } from './command-context.js';

export const postmortemCommand: CommandHandler<'postmortem'> = async (ctx) => {
  const incident = requireIncident(ctx);
  await ctx.ack(':hourglass_flowing_sand: Writing the postmortem draft from the timeline…');
  ctx.later('publish postmortem', async () => {
    const r = await publishPostmortem(ctx.deps, incident.number, ctx.userId);
    const note = blamelessMessage(r.findings);
    if (note) await ctx.reply(note);
  });
};
