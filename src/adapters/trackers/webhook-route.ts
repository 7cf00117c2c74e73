/**
 * `POST /webhooks/github`, `/webhooks/jira`, `/webhooks/linear`: what comes back from the trackers (an issue
 * closed, reopened or reassigned), modelled on the PagerDuty receiver (../pagerduty/webhook-route.ts).
 * - Without its secret (GITHUB_WEBHOOK_SECRET, ...) a tracker's deliveries cannot be verified: every one is
 *   refused with 403, as PagerDuty's are.
 * - A missing or wrong signature is 401 (for Linear, also a `webhookTimestamp` over a minute off: a replayed
 *   capture; a Linear body that is not JSON has no timestamp, so it is 401 too); a signed body that is not
 *   what the tracker sends is 400; a delivery about something else (a comment, a ping, a pull request) is 200
 *   and stored nowhere.
 * - Any other delivery is stored in inbound_events (key: the tracker's delivery id; the raw body and only the
 *   headers its parser reads) before the 200, held by this instance's lease, so a redelivery of the same id
 *   answers 200 and changes nothing, and a crash right after the answer loses nothing: the periodic sweep
 *   (applyPendingTrackerWebhooks) applies a stored delivery nobody holds.
 */
import { applyStoredTrackerWebhook, storedTrackerDelivery } from '../../app/follow-ups/apply-issue-change.js';
import type { Ports } from '../../app/ports.js';
import {
  type TrackerIssueChange,
  type TrackerWebhook,
  TrackerWebhookError,
} from '../../domain/ports/tracker.js';
import { INBOX_LEASE_MS } from '../../runtime/instance.js';
import { type HttpRequest, sendJson } from '../http/server.js';

/** One tracker's webhook as compose.ts registers it. */
export interface TrackerWebhookSetup {
  /** e.g. `/webhooks/github` */
  path: string;
  webhook: TrackerWebhook;
  /** the shared secret; unset (undefined or empty) when its variable is */
  secret: string | undefined;
  /** the variable that sets it, named in the log line of a refusal */
  secretVariable: string;
  /** the headers `webhook.parse` reads (lower case): kept with the stored delivery so it can be parsed again */
  headers: readonly string[];
}

const NAMES = { github: 'GitHub', jira: 'Jira', linear: 'Linear' } as const;

/** Node's headers as the TrackerWebhook reads them: a repeated header is joined, as HTTP allows. */
function headersOf(req: HttpRequest['req']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** The route handler; `ports.afterAck` tracks the applying that follows the answer. `owner`: this instance's id. */
export function trackerWebhookRoute(
  ports: Ports,
  owner: string,
  setup: Pick<TrackerWebhookSetup, 'webhook' | 'secret' | 'secretVariable' | 'headers'>,
): (r: HttpRequest) => Promise<void> {
  const { webhook, secretVariable } = setup;
  const kind = webhook.kind;
  const name = NAMES[kind];
  return async ({ req, res, body, log }) => {
    const secret = setup.secret?.trim() ?? '';
    if (!secret) {
      log.warn(`refused a ${name} webhook: ${secretVariable} is not set, so it cannot be verified`);
      sendJson(res, 403, { error: 'webhook signature cannot be verified' });
      return;
    }
    const headers = headersOf(req);
    const raw = body.toString('utf8');
    if (!(await webhook.verify(headers, raw, secret))) {
      log.warn({ tracker: kind }, `refused a ${name} webhook with a missing or wrong signature`);
      sendJson(res, 401, { error: 'invalid signature' });
      return;
    }
    let change: TrackerIssueChange | null;
    try {
      change = webhook.parse(headers, raw);
    } catch (e) {
      if (!(e instanceof TrackerWebhookError)) throw e;
      log.warn({ tracker: kind, reason: e.message }, `refused a malformed ${name} webhook`);
      sendJson(res, 400, { error: 'malformed body' });
      return;
    }
    if (!change) {
      ports.metrics.eventsReceived.inc({ source: kind, outcome: 'ignored' });
      sendJson(res, 200, { ok: true });
      return;
    }
    const deliveryId = change.deliveryId;
    const row = storedTrackerDelivery(headers, setup.headers, raw);
    // Throws when the database cannot take it: the server answers 500 and the tracker delivers again.
    const now = ports.clock.now();
    const fresh = await ports.store.inbound.record(kind, deliveryId, row, now, {
      owner,
      until: now + INBOX_LEASE_MS,
    });
    sendJson(res, 200, { ok: true });
    ports.metrics.eventsReceived.inc({ source: kind, outcome: fresh ? 'new' : 'duplicate' });
    if (!fresh) {
      log.info({ tracker: kind, delivery: deliveryId }, `repeated ${name} webhook ignored`);
      return;
    }
    ports.afterAck.run(
      `apply ${name} webhook`,
      async () => ports.notifier.notify(await applyStoredTrackerWebhook(ports, webhook, deliveryId, row)),
      log,
    );
  };
}
