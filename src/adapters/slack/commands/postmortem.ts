/** `/incident postmortem`: acknowledged at once; the draft is written and shared after the ack. */
import { publishPostmortem } from '../../../app/postmortem/publish-postmortem.js';
import { blamelessMessage } from '../blocks/postmortem.js';
import { requireIncident, type CommandHandler } from './command-context.js';

export const postmortemCommand: CommandHandler<'postmortem'> = async (ctx) => {
  const incident = requireIncident(ctx);
  await ctx.ack(':hourglass_flowing_sand: Writing the postmortem draft from the timeline…');
  ctx.later('publish postmortem', async () => {
    const r = await publishPostmortem(ctx.deps, incident.number, ctx.userId);
    await ctx.deps.notifier.notify(r.notices);
    // After the upload, as an answer to the command: only the person who asked sees the suggestions.
    const note = blamelessMessage(r.findings);
    if (note) await ctx.reply(note);
  });
};
