/**
 * `/incident page <service> [message]`: the page is stored (with its timeline entry and outbox row) before the
 * ack; its notice, told right after, gets it delivered to PagerDuty; the channel hears when PagerDuty has it.
 * A service already paged gets an ephemeral answer with an Escalate button instead of a second page.
 */
import { requestPage } from '../../../app/paging/page-service.js';
import { decodeSlackEntities } from '../../render/slack-text.js';
import { alreadyPagedReply, pageQueuedReply } from '../blocks/page-messages.js';
import { requireIncident, type CommandHandler } from './command-context.js';

export const pageCommand: CommandHandler<'page'> = async (ctx) => {
  const incident = requireIncident(ctx);
  const { deps, cmd } = ctx;
  const result = await requestPage(deps, {
    incidentNumber: incident.number,
    service: decodeSlackEntities(cmd.service),
    message: cmd.message ? decodeSlackEntities(cmd.message) : null,
    by: ctx.userId,
  });
  if (result.kind === 'already') {
    await ctx.ack(alreadyPagedReply(result.page, deps.clock.now()));
    return;
  }
  await ctx.ack(pageQueuedReply(result.page.service));
  ctx.later('tell page requested', () => deps.notifier.notify(result.notices));
};
