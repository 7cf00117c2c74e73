/** `/incident list`: open incidents, newest first, with severity, status, commander and age. */
import { incidentRef, severityLabel } from '../../../domain/incident.js';
import { formatDuration } from '../../../domain/duration.js';
import { mention, slackText } from '../mrkdwn.js';
import type { CommandHandler } from './command-context.js';

/** At most this many lines; the rest are counted. */
const MAX_LISTED = 25;

export const listCommand: CommandHandler<'list'> = async (ctx) => {
  const { store, clock } = ctx.deps;
  const open = await store.incidents.listOpen();
  if (open.length === 0) {
    await ctx.ack(':white_check_mark: No open incidents.');
    return;
  }
  const now = clock.now();
  const lines = await Promise.all(
    open.slice(0, MAX_LISTED).map(async (i) => {
      const ic = (await store.incidents.holders(i.number)).ic;
      const where = i.channelId ? `<#${i.channelId}>` : '_channel pending_';
      return `• *${incidentRef(i.number)}* ${slackText(i.title)} · ${severityLabel(i.severity)} · ${i.status} · IC ${
        ic ? mention(ic) : '_none_'
      } · ${formatDuration(now - i.declaredAt)} · ${where}`;
    }),
  );
  if (open.length > MAX_LISTED) lines.push(`…and ${open.length - MAX_LISTED} more.`);
  await ctx.ack(`*Open incidents (${open.length})*\n${lines.join('\n')}`);
};
