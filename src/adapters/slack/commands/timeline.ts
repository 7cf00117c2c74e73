/** `/incident timeline [page]`: the entries so far, ephemeral and paged. */
import { loadTimelineView } from '../../../app/timeline/show-timeline.js';
import { timelineMessage } from '../blocks/timeline.js';
import { requireIncident, type CommandHandler } from './command-context.js';

export const timelineCommand: CommandHandler<'timeline'> = async (ctx) => {
  const view = await loadTimelineView(ctx.deps, requireIncident(ctx), ctx.cmd.page);
  await ctx.ack(timelineMessage(view));
};
