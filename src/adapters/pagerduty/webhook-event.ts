/**
 * A PagerDuty webhooks v3 delivery, parsed into what Muster reacts to. One delivery carries one event:
 * `{ event: { id, event_type, resource_type, occurred_at, agent, client, data } }`, where `data` is an
 * incident for most incident events and an `incident_note` (with an incident reference) for
 * `incident.annotated`. Event types Muster does not handle parse as `unknown`, never as errors, because a
 * subscription may send more types than we asked for and PagerDuty drops webhooks answered with a 4xx.
 */
import * as z from 'zod';
import type { PagerReportKind } from '../../domain/page.js';
import type { PagerWebhook } from '../../domain/ports.js';

export const HANDLED_PAGERDUTY_EVENT_TYPES = [
  'incident.triggered',
  'incident.acknowledged',
  'incident.escalated',
  'incident.reassigned',
  'incident.resolved',
  'incident.annotated',
] as const;

export type HandledPagerDutyEventType = (typeof HANDLED_PAGERDUTY_EVENT_TYPES)[number];
export type PagerDutyWebhookEventType = HandledPagerDutyEventType | 'unknown';

/** A user, service or other PagerDuty object as webhooks name it. */
export interface PagerDutyReference {
  id: string;
  /** display name; the id when PagerDuty sends none */
  summary: string;
  /** the agent's kind (`user_reference`, `service_reference`...); absent when PagerDuty sends none */
  type?: string;
}

export interface PagerDutyWebhookIncident {
  id: string;
  incidentKey?: string;
  status?: string;
  title?: string;
  htmlUrl?: string;
  number?: number;
  assignees: PagerDutyReference[];
}

export interface PagerDutyWebhookEvent {
  /** the event id (also sent as `X-Webhook-Id`); the same on every retry of one delivery */
  id: string;
  eventType: PagerDutyWebhookEventType;
  /** `event_type` as sent, kept for logging unknown types */
  rawEventType: string;
  /** epoch milliseconds */
  occurredAt: number;
  agent?: PagerDutyReference;
  incident: PagerDutyWebhookIncident | null;
  /** the note text of `incident.annotated` */
  note?: string;
}

export type PagerDutyWebhookParseResult =
  | { ok: true; event: PagerDutyWebhookEvent }
  | { ok: false; error: string };

const reference = z.object({
  id: z.string().min(1),
  summary: z.string().nullish(),
  html_url: z.string().nullish(),
  type: z.string().nullish(),
});

const incidentData = z.object({
  id: z.string().min(1),
  type: z.literal('incident'),
  number: z.number().int().nullish(),
  status: z.string().nullish(),
  title: z.string().nullish(),
  incident_key: z.string().nullish(),
  html_url: z.string().nullish(),
  assignees: z.array(reference).nullish(),
});

const envelope = z.object({
  event: z.object({
    id: z.string().min(1),
    event_type: z.string().min(1),
    occurred_at: z.string().min(1),
    agent: reference.nullish(),
    data: z.record(z.string(), z.unknown()).nullish(),
  }),
});

const toReference = (r: z.infer<typeof reference>): PagerDutyReference => ({
  id: r.id,
  summary: r.summary ?? r.id,
});

/** The agent's PagerDuty user id: agents are users (`user_reference`), or services and integrations, which are not. */
const userIdOf = (agent: PagerDutyReference | undefined): string | null =>
  agent && (agent.type === undefined || agent.type === 'user_reference' || agent.type === 'user')
    ? agent.id
    : null;

const isHandled = (t: string): t is HandledPagerDutyEventType =>
  (HANDLED_PAGERDUTY_EVENT_TYPES as readonly string[]).includes(t);

/** The incident an event is about: the data itself when it is an incident, else the incident it references. */
function incidentOf(
  data: Record<string, unknown> | null | undefined,
): PagerDutyWebhookIncident | null | string {
  if (!data) return null;
  if (data['type'] === 'incident') {
    const parsed = incidentData.safeParse(data);
    if (!parsed.success) return `malformed incident data: ${z.prettifyError(parsed.error)}`;
    const d = parsed.data;
    return {
      id: d.id,
      ...(d.incident_key ? { incidentKey: d.incident_key } : {}),
      ...(d.status ? { status: d.status } : {}),
      ...(d.title ? { title: d.title } : {}),
      ...(d.html_url ? { htmlUrl: d.html_url } : {}),
      ...(typeof d.number === 'number' ? { number: d.number } : {}),
      assignees: (d.assignees ?? []).map(toReference),
    };
  }
  const ref = reference.safeParse(data['incident']);
  if (!ref.success) return null;
  return {
    id: ref.data.id,
    ...(ref.data.summary ? { title: ref.data.summary } : {}),
    ...(ref.data.html_url ? { htmlUrl: ref.data.html_url } : {}),
    assignees: [],
  };
}

/** Parses the raw body of a v3 webhook; `ok: false` with a reason when it is not JSON or not a v3 event. */
export function parsePagerDutyWebhook(rawBody: Buffer | string): PagerDutyWebhookParseResult {
  const text = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'body is not JSON' };
  }
  const parsed = envelope.safeParse(json);
  if (!parsed.success)
    return { ok: false, error: `not a webhooks v3 event: ${z.prettifyError(parsed.error)}` };
  const e = parsed.data.event;
  const occurredAt = Date.parse(e.occurred_at);
  if (Number.isNaN(occurredAt)) return { ok: false, error: `occurred_at is not a time: ${e.occurred_at}` };

  const incident = incidentOf(e.data);
  const eventType: PagerDutyWebhookEventType = isHandled(e.event_type) ? e.event_type : 'unknown';
  if (typeof incident === 'string') {
    if (eventType !== 'unknown') return { ok: false, error: incident };
  } else if (eventType !== 'unknown' && incident === null) {
    return { ok: false, error: `${e.event_type} carries no incident` };
  }
  const note = eventType === 'incident.annotated' ? e.data?.['content'] : undefined;
  return {
    ok: true,
    event: {
      id: e.id,
      eventType,
      rawEventType: e.event_type,
      occurredAt,
      ...(e.agent
        ? { agent: { ...toReference(e.agent), ...(e.agent.type ? { type: e.agent.type } : {}) } }
        : {}),
      incident: typeof incident === 'string' ? null : incident,
      ...(typeof note === 'string' ? { note } : {}),
    },
  };
}

const REPORT_KINDS: Record<HandledPagerDutyEventType, PagerReportKind> = {
  'incident.triggered': 'triggered',
  'incident.acknowledged': 'acknowledged',
  'incident.escalated': 'escalated',
  'incident.reassigned': 'reassigned',
  'incident.resolved': 'resolved',
  'incident.annotated': 'annotated',
};

/** A parsed delivery in the core's words: a report about a page's incident, a type Muster ignores, or unreadable. */
export function toPagerWebhook(parsed: PagerDutyWebhookParseResult): PagerWebhook {
  if (!parsed.ok) return { kind: 'unreadable', error: parsed.error };
  const e = parsed.event;
  if (e.eventType === 'unknown' || !e.incident) return { kind: 'ignored', id: e.id, type: e.rawEventType };
  const inc = e.incident;
  return {
    kind: 'report',
    report: {
      kind: REPORT_KINDS[e.eventType],
      id: e.id,
      type: e.eventType,
      at: e.occurredAt,
      incident: {
        id: inc.id,
        number: inc.number ?? null,
        key: inc.incidentKey ?? null,
        assignees: inc.assignees.map((a) => a.summary),
      },
      agent: e.agent?.summary ?? null,
      agentId: userIdOf(e.agent),
      note: e.note ?? null,
    },
  };
}
