/** `/incident timeline [page]`: the entries so far, ephemeral and paged. */
import { loadTimelinePage } from '../../../app/timeline/show-timeline.js';
import { makeTimeFormatters } from '../../render/time-format.js';
import { timelineMessage } from '../blocks/timeline.js';
import { timelineView } from '../blocks/timeline-view.js';
import { requireIncident, type CommandHandler } from './command-context.js';

export const timelineCommand: CommandHandler<'timeline'> = async (ctx) => {
  const shown = await loadTimelinePage(ctx.deps, { incident: requireIncident(ctx), page: ctx.cmd.page });
  const times = makeTimeFormatters(ctx.deps.config.INCIDENT_TIMEZONE);
  await ctx.ack(timelineMessage(timelineView(shown, times)));
};
