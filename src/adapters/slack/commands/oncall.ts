/**
 * `/incident oncall <service>`: who is on call for the service's PagerDuty escalation policy (`GET /oncalls`),
 * by level. Works anywhere. The service and configuration are checked before the ack; PagerDuty is asked after.
 */
import { onCallPolicy } from '../../../app/paging/page-target.js';
import { PagerError } from '../../../domain/ports.js';
import { decodeSlackEntities } from '../../render/slack-text.js';
import { onCallMessage } from '../blocks/page-messages.js';
import { escapeMrkdwn } from '../mrkdwn.js';
import type { CommandHandler } from './command-context.js';

/** Why PagerDuty could not say, in words an on-call engineer can act on. */
function why(e: unknown): string {
  if (!(e instanceof PagerError)) return 'an unexpected error';
  if (e.code === 'unauthorized') return 'it refused PAGERDUTY_API_TOKEN (HTTP 401)';
  if (e.code === 'forbidden') return 'PAGERDUTY_API_TOKEN may not read on-call schedules (HTTP 403)';
  if (e.code === 'timeout') return 'it did not answer in time';
  return e.status ? `HTTP ${e.status}` : 'it could not be reached';
}

export const oncallCommand: CommandHandler<'oncall'> = async (ctx) => {
  const { deps } = ctx;
  const { service, escalationPolicyId } = onCallPolicy(deps, decodeSlackEntities(ctx.cmd.service));
  await ctx.ack(`:mag: Asking PagerDuty who is on call for *${escapeMrkdwn(service.name)}*…`);
  ctx.later('answer oncall', async () => {
    try {
      // the answer takes the place of "Asking PagerDuty…"
      await ctx.replace(onCallMessage(service.name, await deps.pager.onCall(escalationPolicyId)));
    } catch (e) {
      ctx.log.warn({ err: e, service: service.name }, 'on-call lookup failed');
      await ctx.replace(
        `:warning: PagerDuty could not say who is on call for *${escapeMrkdwn(service.name)}*: ${why(e)}.`,
      );
    }
  });
};
