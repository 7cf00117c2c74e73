/** `/incident declare [sev1-4] [--private] <title>`: stored before the ack; the channel and the rest follow after it. */
import { DomainError } from '../../../domain/errors.js';
import { incidentRef, severityLabel } from '../../../domain/incident.js';
import { USAGE } from '../../../domain/command.js';
import { declareIncident } from '../../../app/incident/declare-incident.js';
import { provisionIncident } from '../../../app/incident/provision-incident.js';
import { slackText } from '../mrkdwn.js';
import type { CommandHandler } from './command-context.js';
import { openDeclareModal } from '../interactions/declare-modal.js';

export const declareCommand: CommandHandler<'declare'> = async (ctx) => {
  const { cmd } = ctx;
  if (!cmd.title) {
    if (ctx.triggerId) {
      await ctx.ack();
      ctx.later('open declare modal', () =>
        openDeclareModal(ctx.deps, ctx.triggerId!, {
          severity: cmd.severity,
          private: cmd.private,
          channelId: ctx.channelId,
        }),
      );
      return;
    }
    throw new DomainError('command.usage', `Missing the incident title.\nUsage: \`${USAGE.declare}\``);
  }
  const incident = await declareIncident(ctx.deps, {
    title: cmd.title,
    severity: cmd.severity,
    private: cmd.private,
    teamId: ctx.teamId,
    userId: ctx.userId,
    responseUrl: ctx.responseUrl,
    fromChannelId: ctx.channelId,
  });
  await ctx.ack(
    `:hourglass_flowing_sand: Declaring ${`${incidentRef(incident.number)}: ${slackText(incident.title)}`} (${severityLabel(
      incident.severity,
    )})…`,
  );
  ctx.later('provision incident', () =>
    provisionIncident(ctx.deps, incident.number, { responseUrl: ctx.responseUrl, progress: true }),
  );
};
