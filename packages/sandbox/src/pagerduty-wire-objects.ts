/**
 * The records the fake PagerDuty keeps and the JSON it answers with. Shapes follow the REST OpenAPI spec
 * (`Incident`, `Oncall`, `UserReference`, the `{ error: { message, code, errors } }` body), the Events v2
 * spec (`{ status, message, dedup_key }` / `{ status, message, errors }`) and the webhooks v3 samples
 * (envelope `{ event: { id, event_type, resource_type, occurred_at, agent, client, data } }`).
 */

export interface FakePagerDutyUser {
  id: string;
  name: string;
  email: string;
}

/** `levels[0]` holds the users on call at level 1, `levels[1]` at level 2, ... */
export interface FakeEscalationPolicy {
  id: string;
  name: string;
  levels: string[][];
}

export interface FakePagerDutyService {
  id: string;
  name: string;
  escalationPolicyId: string;
  /** Events v2 integration key (32 characters) routing events to this service */
  routingKey?: string;
}

export type FakeIncidentStatus = 'triggered' | 'acknowledged' | 'resolved';

export interface FakeIncident {
  id: string;
  number: number;
  title: string;
  status: FakeIncidentStatus;
  /** the dedup key for incidents opened by Events v2 */
  incidentKey: string | null;
  serviceId: string;
  escalationPolicyId: string;
  urgency: 'high' | 'low';
  escalationLevel: number;
  assigneeIds: string[];
  acknowledgedBy: string | null;
  via: 'events' | 'rest';
  details: string | null;
  /** epoch ms */
  createdAt: number;
  updatedAt: number;
  lastStatusChangeAt: number;
  resolvedAt: number | null;
  /** `http://host[/basePath]` the incident was created through; used for `self` and `html_url` */
  base: string;
}

/** What a route supplies to open an incident; the fake fills in the rest. */
export type NewFakeIncident = Pick<
  FakeIncident,
  'title' | 'incidentKey' | 'serviceId' | 'escalationPolicyId' | 'urgency' | 'via' | 'details' | 'base'
>;

export interface WireDirectory {
  user(id: string): FakePagerDutyUser | undefined;
  service(id: string): FakePagerDutyService | undefined;
  policy(id: string): FakeEscalationPolicy | undefined;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const userReference = (u: FakePagerDutyUser, base: string) => ({
  id: u.id,
  type: 'user_reference',
  summary: u.name,
  self: `${base}/users/${u.id}`,
  html_url: `${base}/users/${u.id}`,
});

/** The full user object `include[]=users` expands a reference into. */
export const userObject = (u: FakePagerDutyUser, base: string) => ({
  ...userReference(u, base),
  type: 'user',
  name: u.name,
  email: u.email,
  time_zone: 'Etc/UTC',
  role: 'user',
});

export const serviceReference = (s: FakePagerDutyService | undefined, id: string, base: string) => ({
  id,
  type: 'service_reference',
  summary: s?.name ?? id,
  self: `${base}/services/${id}`,
  html_url: `${base}/service-directory/${id}`,
});

export const policyReference = (p: FakeEscalationPolicy | undefined, id: string, base: string) => ({
  id,
  type: 'escalation_policy_reference',
  summary: p?.name ?? id,
  self: `${base}/escalation_policies/${id}`,
  html_url: `${base}/escalation_policies/${id}`,
});

const refs = (ids: string[], dir: WireDirectory, base: string) =>
  ids.flatMap((id) => {
    const u = dir.user(id);
    return u ? [userReference(u, base)] : [];
  });

/** An incident as the REST API returns it. */
export function incidentJson(i: FakeIncident, dir: WireDirectory) {
  const acknowledger = i.acknowledgedBy ? dir.user(i.acknowledgedBy) : undefined;
  const changedBy = acknowledger ?? dir.user(i.assigneeIds[0] ?? '');
  return {
    id: i.id,
    type: 'incident',
    title: i.title,
    summary: `[#${i.number}] ${i.title}`,
    self: `${i.base}/incidents/${i.id}`,
    html_url: `${i.base}/incidents/${i.id}`,
    incident_number: i.number,
    created_at: iso(i.createdAt),
    updated_at: iso(i.updatedAt),
    status: i.status,
    incident_key: i.incidentKey,
    service: serviceReference(dir.service(i.serviceId), i.serviceId, i.base),
    assigned_via: 'escalation_policy',
    assignments: refs(i.assigneeIds, dir, i.base).map((assignee) => ({
      at: iso(i.lastStatusChangeAt),
      assignee,
    })),
    acknowledgements:
      i.status === 'acknowledged' && acknowledger
        ? [{ at: iso(i.lastStatusChangeAt), acknowledger: userReference(acknowledger, i.base) }]
        : [],
    last_status_change_at: iso(i.lastStatusChangeAt),
    last_status_change_by: changedBy ? userReference(changedBy, i.base) : null,
    escalation_policy: policyReference(dir.policy(i.escalationPolicyId), i.escalationPolicyId, i.base),
    teams: [],
    urgency: i.urgency,
    resolved_at: i.resolvedAt === null ? null : iso(i.resolvedAt),
    ...(i.details ? { body: { type: 'incident_body', details: i.details } } : {}),
  };
}

/** The `data` of an incident webhook (data type `incident`, as in `data.incident.json`). */
export function webhookIncidentData(i: FakeIncident, dir: WireDirectory) {
  return {
    id: i.id,
    type: 'incident',
    self: `${i.base}/incidents/${i.id}`,
    html_url: `${i.base}/incidents/${i.id}`,
    number: i.number,
    status: i.status,
    incident_key: i.incidentKey,
    created_at: iso(i.createdAt),
    title: i.title,
    service: serviceReference(dir.service(i.serviceId), i.serviceId, i.base),
    assignees: refs(i.assigneeIds, dir, i.base),
    escalation_policy: policyReference(dir.policy(i.escalationPolicyId), i.escalationPolicyId, i.base),
    teams: [],
    priority: null,
    urgency: i.urgency,
    conference_bridge: null,
    resolve_reason: null,
  };
}

/** The `data` of `incident.annotated` (data type `incident_note`, as in `data.incident_note.json`). */
export const webhookNoteData = (i: FakeIncident, noteId: string, content: string) => ({
  incident: {
    html_url: `${i.base}/incidents/${i.id}`,
    id: i.id,
    self: `${i.base}/incidents/${i.id}`,
    summary: i.title,
    type: 'incident_reference',
  },
  id: noteId,
  content,
  trimmed: false,
  type: 'incident_note',
});

export const webhookEnvelope = (
  id: string,
  eventType: string,
  occurredAt: number,
  agent: ReturnType<typeof userReference> | null,
  data: unknown,
) => ({
  event: {
    id,
    event_type: eventType,
    resource_type: 'incident',
    occurred_at: new Date(occurredAt).toISOString(),
    agent,
    client: null,
    data,
  },
});

/** Events v2 error body. */
export const eventsError = (status: string, message: string, errors?: string[]) => ({
  status,
  message,
  ...(errors ? { errors } : {}),
});

/** REST error body. */
export const restError = (message: string, code?: number, errors?: string[]) => ({
  error: { message, ...(code === undefined ? {} : { code }), ...(errors ? { errors } : {}) },
});
