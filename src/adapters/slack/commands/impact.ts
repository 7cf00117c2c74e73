/** `/incident impact <when>` and `/incident detected <when>`: record when customer impact began, or was detected. */
import { recordImpactTimes } from '../../../app/incident/impact-times.js';
import { type Command, USAGE } from '../../../domain/command.js';
import { DomainError, isDomainError } from '../../../domain/errors.js';
import { zoneRules } from '../../render/time-format.js';
import { requireIncident, type CommandContext, type CommandHandler } from './command-context.js';

async function record<K extends 'impact' | 'detected'>(ctx: CommandContext<K>): Promise<void> {
  const cmd: Extract<Command, { kind: 'impact' | 'detected' }> = ctx.cmd;
  const incident = requireIncident(ctx);
  const field = cmd.kind === 'impact' ? { impact: cmd.when } : { detected: cmd.when };
  let change: Awaited<ReturnType<typeof recordImpactTimes>>;
  try {
    change = await recordImpactTimes(ctx.deps, {
      number: incident.number,
      ...field,
      by: ctx.userId,
      zone: zoneRules(ctx.deps.config.INCIDENT_TIMEZONE),
    });
  } catch (e) {
    // a time that cannot be (future, out of order) is a usage mistake too: say the right usage with it
    if (!isDomainError(e) || e.code === 'incident.unchanged') throw e;
    throw new DomainError(e.code, `${e.message}\nUsage: \`${USAGE[cmd.kind]}\``, e.details);
  }
  await ctx.ack();
  ctx.later('tell impact times', () => ctx.deps.notifier.notify(change.notices));
}

export const impactCommand: CommandHandler<'impact'> = record;
export const detectedCommand: CommandHandler<'detected'> = record;
