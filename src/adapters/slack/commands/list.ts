/** `/incident list`: open incidents the person may see (private ones: members of their channel), newest first, with severity, status, commander and age. */
import { incidentRef, severityLabel } from '../../../domain/incident.js';
import { formatDuration } from '../../../domain/duration.js';
import { mention, slackText } from '../mrkdwn.js';
import type { CommandHandler } from './command-context.js';
import { visibleIncidents } from '../../../app/incident/visible-incidents.js';

/** At most this many lines; the rest are counted. */
const MAX_LISTED = 25;

export const listCommand: CommandHandler<'list'> = async (ctx) => {
  const { store, clock } = ctx.deps;
  // a private incident is listed only to the members of its channel
  const open = await visibleIncidents(ctx.deps, await store.incidents.listOpen(), ctx.userId);
  if (open.length === 0) {
    await ctx.ack(':white_check_mark: No open incidents.');
    return;
  }
  const now = clock.now();
  const lines = await Promise.all(
    open.slice(0, MAX_LISTED).map(async (i) => {
      const ic = (await store.incidents.holders(i.number)).ic;
      const where = i.channelId ? `<#${i.channelId}>` : '_channel pending_';
      const lock = i.private ? ':lock: ' : '';
      return `• ${lock}*${incidentRef(i.number)}* ${slackText(i.title)} · ${severityLabel(i.severity)} · ${i.status} · IC ${
        ic ? mention(ic) : '_none_'
      } · ${formatDuration(now - i.declaredAt)} · ${where}`;
    }),
  );
  if (open.length > MAX_LISTED) lines.push(`…and ${open.length - MAX_LISTED} more.`);
  await ctx.ack(`*Open incidents (${open.length})*\n${lines.join('\n')}`);
};
