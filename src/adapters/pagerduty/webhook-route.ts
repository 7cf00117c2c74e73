/**
 * `POST /pagerduty/webhook`: PagerDuty webhooks v3. The signature is checked against PAGERDUTY_WEBHOOK_SECRET
 * (several secrets, comma-separated, while one is rotated): 403 when it is missing or wrong. A body that is
 * not a v3 event is 400. A good delivery is stored in inbound_events (key: its event id) before the 202, held
 * by this instance's lease, so PagerDuty's retries and replays of the same id are applied once, and a crash
 * right after the answer loses nothing: the periodic sweep of any instance claims a stored webhook nobody holds
 * (its receiver's lease expired, or applying it failed) and applies it.
 */
import type { Ports } from '../../app/ports.js';
import { INBOX_LEASE_MS } from '../../runtime/instance.js';
import { applyPagerWebhook } from '../../app/paging/page-activity.js';
import { identifyAcknowledger } from '../../app/paging/page-acknowledger.js';
import { type HttpRequest, sendJson } from '../http/server.js';
import { verifyPagerDutySignature } from './signature.js';
import { parsePagerDutyWebhook, toPagerWebhook } from './webhook-event.js';

/**
 * Applies a stored delivery (body as received) through the core and tells what it changed. An acknowledgement's
 * PagerDuty user is looked up in Slack first, so the page records them as a Slack user.
 */
async function applyStored(ports: Ports, eventId: string, body: string): Promise<void> {
  if (await ports.store.inbound.isProcessed('pagerduty', eventId)) return;
  const webhook = await identifyAcknowledger(ports, toPagerWebhook(parsePagerDutyWebhook(body)));
  const notices = await applyPagerWebhook(ports, eventId, webhook);
  await ports.notifier.notify(notices);
}

/** Stored webhooks claimed per sweep. */
const SWEEP_BATCH = 100;

/** The route handler; `ports.afterAck` tracks the processing that follows the answer. `owner`: this instance's id. */
export function pagerDutyWebhookRoute(ports: Ports, owner: string): (r: HttpRequest) => void {
  return async ({ req, res, body, log }) => {
    const secrets = (ports.config.PAGERDUTY_WEBHOOK_SECRET ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const header = req.headers['x-pagerduty-signature'];
    if (secrets.length === 0) {
      log.warn('refused a PagerDuty webhook: PAGERDUTY_WEBHOOK_SECRET is not set, so it cannot be verified');
      sendJson(res, 403, { error: 'webhook signature cannot be verified' });
      return;
    }
    if (typeof header !== 'string' || !verifyPagerDutySignature(body, header, secrets)) {
      log.warn(
        { reason: header ? 'mismatch' : 'missing' },
        'refused a PagerDuty webhook with a missing or wrong signature',
      );
      sendJson(res, 403, { error: 'invalid signature' });
      return;
    }
    const parsed = parsePagerDutyWebhook(body);
    if (!parsed.ok) {
      log.warn({ reason: parsed.error }, 'refused a malformed PagerDuty webhook');
      sendJson(res, 400, { error: 'malformed body' });
      return;
    }
    const { event } = parsed;
    // Throws when the database cannot take it: the server answers 500 and PagerDuty delivers again.
    const now = ports.clock.now();
    const fresh = await ports.store.inbound.record('pagerduty', event.id, body.toString('utf8'), now, {
      owner,
      until: now + INBOX_LEASE_MS,
    });
    sendJson(res, 202, { ok: true });
    ports.metrics.eventsReceived.inc({ source: 'pagerduty', outcome: fresh ? 'new' : 'duplicate' });
    if (!fresh) {
      log.info({ pagerDutyEvent: event.id, type: event.rawEventType }, 'repeated PagerDuty webhook ignored');
      return;
    }
    ports.afterAck.run(
      'apply PagerDuty webhook',
      () => applyStored(ports, event.id, body.toString('utf8')),
      log,
    );
  };
}

/**
 * Claims the stored webhooks nobody holds (left by a stopped instance, or whose applying failed) for `owner`,
 * and applies them, oldest first.
 */
export async function applyPendingPagerDutyWebhooks(ports: Ports, owner: string): Promise<void> {
  const now = ports.clock.now();
  const claimed = await ports.store.inbound.claimStale('pagerduty', {
    owner,
    now,
    until: now + INBOX_LEASE_MS,
    receivedBefore: now,
    limit: SWEEP_BATCH,
  });
  for (const w of claimed) {
    try {
      await applyStored(ports, w.eventId, w.body);
    } catch (e) {
      ports.log.error(
        { pagerDutyEvent: w.eventId, err: e },
        'applying a stored PagerDuty webhook failed; it will be retried',
      );
    }
  }
}
