/**
 * Webhooks v3 from the fake PagerDuty: the incident changes an event stands for, the envelope, the
 * `X-PagerDuty-Signature` header, and one delivery over plain HTTP.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { signPagerDutyWebhook } from '../../../src/index.js';
import type { FakePagerDuty } from './pagerduty-api.js';
import {
  type FakeIncident,
  userReference,
  webhookEnvelope,
  webhookIncidentData,
  webhookNoteData,
} from './pagerduty-wire-objects.js';

export interface WebhookOptions {
  url: string;
  /** one secret, or several (rotation): one `v1=` entry each */
  secret: string | string[];
  /** the user the event is attributed to; default the first assignee */
  agentUserId?: string;
  /** note text for `incident.annotated` */
  note?: string;
  /** new assignees for `incident.reassigned` */
  assigneeUserIds?: string[];
  eventId?: string;
  /** sent instead of the computed signature (to test refusals) */
  signature?: string;
}

export interface WebhookDelivery {
  eventId: string;
  eventType: string;
  incidentId: string;
  url: string;
  body: string;
  /** the receiver's HTTP status, null when it could not be reached */
  status: number | null;
  error?: string;
}

/** Applies the event to the incident, then posts it signed; never rejects (a failed delivery has `status: null`). */
export async function deliverWebhook(
  fake: FakePagerDuty,
  eventType: string,
  incident: FakeIncident,
  opts: WebhookOptions,
): Promise<WebhookDelivery> {
  const agentId = opts.agentUserId ?? incident.assigneeIds[0];
  if (eventType === 'incident.acknowledged' && incident.status !== 'resolved') {
    fake.setStatus(incident, 'acknowledged', agentId ?? null);
  } else if (eventType === 'incident.resolved') {
    fake.setStatus(incident, 'resolved', null);
  } else if (eventType === 'incident.escalated') {
    const levels = fake.policy(incident.escalationPolicyId)?.levels.length ?? 1;
    fake.escalate(incident, Math.min(incident.escalationLevel + 1, levels));
  } else if (eventType === 'incident.reassigned' && opts.assigneeUserIds) {
    incident.assigneeIds = opts.assigneeUserIds;
    incident.updatedAt = fake.now();
  }
  const agent = agentId ? fake.user(agentId) : undefined;
  const eventId = opts.eventId ?? randomUUID();
  const data =
    eventType === 'incident.annotated'
      ? webhookNoteData(incident, `PN${randomUUID().slice(0, 5).toUpperCase()}`, opts.note ?? '')
      : webhookIncidentData(incident, fake);
  const envelope = webhookEnvelope(
    eventId,
    eventType,
    fake.now(),
    agent ? userReference(agent, incident.base) : null,
    data,
  );
  const body = JSON.stringify(envelope);
  const secrets = Array.isArray(opts.secret) ? opts.secret : [opts.secret];
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'PagerDuty-Webhook/V3.0',
    'x-pagerduty-signature': opts.signature ?? signPagerDutyWebhook(body, secrets),
    // PagerDuty resends the same X-Webhook-Id on every retry of one delivery; the fake sends each once.
    'x-webhook-id': eventId,
    'x-webhook-subscription': 'PSUB001',
  };
  const result = await post(opts.url, headers, body);
  return { eventId, eventType, incidentId: incident.id, url: opts.url, body, ...result };
}

/** One POST without keep-alive, so no socket outlives the delivery. */
function post(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number | null; error?: string }> {
  return new Promise((resolve) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: false,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? null }));
      },
    );
    // PagerDuty gives a receiver 5 s before it counts the delivery as failed.
    req.setTimeout(5000, () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', (e) => resolve({ status: null, error: e.message }));
    req.end(body);
  });
}
