/** `/incident redact <entry number>`: blanks a timeline entry; the answer is ephemeral. */
import { redactEntry } from '../../../app/timeline/redact-entry.js';
import { makeTimeFormatters } from '../../render/time-format.js';
import { redactionMessage } from '../blocks/redaction.js';
import { requireIncident, type CommandHandler } from './command-context.js';

export const redactCommand: CommandHandler<'redact'> = async (ctx) => {
  const incident = requireIncident(ctx);
  const { notices, ...redacted } = await redactEntry(ctx.deps, {
    incident,
    userId: ctx.userId,
    number: ctx.cmd.entry,
  });
  const { formatDate, formatTime } = makeTimeFormatters(ctx.deps.config.INCIDENT_TIMEZONE);
  await ctx.ack(redactionMessage(incident.number, redacted, (ms) => `${formatDate(ms)} ${formatTime(ms)}`));
  ctx.later('tell the redaction', () => ctx.deps.notifier.notify(notices));
};
