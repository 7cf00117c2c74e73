/**
 * Whoever acknowledges a page is brought in: the PagerDuty user a webhook names is looked up by email (the
 * pager's users endpoint, then the chat's directory), so the page records and shows them as a chat user and
 * the channel can invite them. Anything missing on the way (no REST token, no email, nobody in the workspace
 * with it, a deactivated account, either API failing) leaves the plain PagerDuty name: a lookup never holds up
 * or fails the webhook.
 */
import type { PagerReport } from '../../domain/page.js';
import type { PagerWebhook } from '../../domain/ports.js';
import type { Ports } from '../ports.js';

/** The chat user of the pager's user `agentId`, or null when they cannot be found. */
export async function chatUserOfPagerUser(
  ports: Pick<Ports, 'pager' | 'chat' | 'log'>,
  agentId: string,
): Promise<string | null> {
  let email: string | null;
  try {
    email = await ports.pager.userEmail(agentId);
  } catch (e) {
    ports.log.info(
      { err: e, pagerUser: agentId },
      'could not read the PagerDuty user; named as PagerDuty names them',
    );
    return null;
  }
  if (!email) return null;
  try {
    const user = await ports.chat.userByEmail(email);
    if (!user || user.deleted || user.isBot) {
      ports.log.info({ pagerUser: agentId }, 'no Slack account has the email of the PagerDuty user');
      return null;
    }
    return user.id;
  } catch (e) {
    ports.log.info({ err: e, pagerUser: agentId }, 'could not look the PagerDuty user up in Slack');
    return null;
  }
}

/**
 * The webhook with its acknowledger identified in the chat (`agentUser`), when it acknowledges a page and its
 * agent is a PagerDuty user; any other webhook as it is.
 */
export async function identifyAcknowledger(
  ports: Pick<Ports, 'pager' | 'chat' | 'log'>,
  webhook: PagerWebhook,
): Promise<PagerWebhook> {
  if (webhook.kind !== 'report' || webhook.report.kind !== 'acknowledged' || !webhook.report.agentId)
    return webhook;
  const agentUser = await chatUserOfPagerUser(ports, webhook.report.agentId);
  const report: PagerReport = { ...webhook.report, agentUser };
  return { kind: 'report', report };
}
