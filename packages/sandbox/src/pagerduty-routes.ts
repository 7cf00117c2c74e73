/**
 * What the fake PagerDuty answers on each route, validated as the real APIs validate. Error texts copied
 * from real PagerDuty answers where known (routing key length and characters, the missing `From` header,
 * `Not Found` 2100); the others follow the spec's error shape with plain wording.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { type FakePagerDuty, type FakePagerDutyRoute, isRecord } from './pagerduty-api.js';
import {
  eventsError,
  type FakeIncident,
  incidentJson,
  policyReference,
  restError,
  userObject,
  userReference,
} from './pagerduty-wire-objects.js';

export interface Answer {
  status: number;
  body: unknown;
}

const SEVERITIES = ['critical', 'error', 'warning', 'info'];
const ACTIONS = ['trigger', 'acknowledge', 'resolve'];
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const invalidInput = (...errors: string[]): Answer => ({
  status: 400,
  body: restError('Invalid Input Provided', 2001, errors),
});
const notFound: Answer = { status: 404, body: restError('Not Found', 2100) };

/** `POST /v2/enqueue`: trigger, acknowledge or resolve the alert with this dedup key on the routing key's service. */
export function serveEnqueue(fake: FakePagerDuty, body: unknown, rawBody: string, base: string): Answer {
  if (!isRecord(body)) {
    const why = rawBody.trim() === '' ? 'Empty body' : 'JSON parse error';
    return {
      status: 400,
      body: eventsError('Unrecognized object', 'Event object format is unrecognized', [why]),
    };
  }
  const errors: string[] = [];
  const key = body['routing_key'];
  if (!nonEmpty(key)) errors.push("'routing_key' is missing or blank");
  else {
    if (key.length !== 32) errors.push("Length of 'routing_key' is incorrect (should be 32 characters)");
    if (!/^[A-Za-z0-9]+$/.test(key)) errors.push("'routing_key' cannot contain non-alphanumeric characters.");
  }
  const action = body['event_action'];
  if (typeof action !== 'string' || !ACTIONS.includes(action)) {
    errors.push("'event_action' is invalid (must be one of: trigger, acknowledge, resolve)");
  }
  const dedup = body['dedup_key'];
  if (dedup !== undefined && typeof dedup !== 'string') errors.push("'dedup_key' must be a string");
  if (action !== 'trigger' && !nonEmpty(dedup)) errors.push("'dedup_key' is missing or blank");
  const payload = body['payload'];
  if (action === 'trigger') {
    if (!isRecord(payload)) errors.push("'payload' is missing or not an object");
    else {
      if (!nonEmpty(payload['summary'])) errors.push("'payload.summary' is missing or blank");
      if (!nonEmpty(payload['source'])) errors.push("'payload.source' is missing or blank");
      if (!SEVERITIES.includes(String(payload['severity']))) {
        errors.push("'payload.severity' is invalid (must be one of: critical, error, warning, info)");
      }
    }
  }
  if (errors.length > 0)
    return { status: 400, body: eventsError('invalid event', 'Event object is invalid', errors) };

  const service = fake.services.find((s) => s.routingKey === key);
  if (!service)
    return {
      status: 400,
      body: eventsError('invalid event', 'Event object is invalid', ['Invalid routing key']),
    };
  const dedupKey = nonEmpty(dedup) ? dedup : randomBytes(16).toString('hex');
  const alertKey = `${service.id} ${dedupKey}`;
  const open = fake.incident(fake.alerts.get(alertKey) ?? '');
  if (action === 'trigger' && !open && isRecord(payload)) {
    const details = payload['custom_details'];
    const incident = fake.openIncident({
      title: String(payload['summary']),
      incidentKey: dedupKey,
      serviceId: service.id,
      escalationPolicyId: service.escalationPolicyId,
      urgency: 'high',
      via: 'events',
      details: details === undefined ? null : JSON.stringify(details),
      base,
    });
    fake.alerts.set(alertKey, incident.id);
  } else if (action === 'acknowledge' && open?.status === 'triggered') {
    // An Events v2 acknowledgement comes from the integration, not from a user.
    fake.setStatus(open, 'acknowledged', null);
  } else if (action === 'resolve' && open) {
    fake.setStatus(open, 'resolved', null);
  }
  return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: dedupKey } };
}

/** The REST routes: token auth, `From` on writes, then the call itself. */
export function serveRest(
  fake: FakePagerDuty,
  route: FakePagerDutyRoute,
  path: string,
  query: URLSearchParams,
  headers: IncomingHttpHeaders,
  body: unknown,
  base: string,
): Answer {
  const token = /^Token token=(.+)$/.exec(headers.authorization ?? '')?.[1];
  if (token !== fake.token && token !== fake.readOnlyToken) {
    return { status: 401, body: restError('Unauthorized') };
  }
  const write = route === 'createIncident' || route === 'updateIncident';
  let requesterId: string | null = null;
  if (write) {
    if (token === fake.readOnlyToken) return { status: 403, body: restError('Access Denied') };
    const from = headers.from;
    if (!nonEmpty(from)) {
      return {
        status: 400,
        body: restError(
          'You must specify a user\'s email address in the "From" header to perform this action',
          2016,
        ),
      };
    }
    const requester = fake.users.find((u) => u.email.toLowerCase() === from.toLowerCase());
    if (!requester) return { status: 400, body: restError('Requester User Not Found', 1008) };
    requesterId = requester.id;
  }
  const id = decodeURIComponent(path.split('/')[2] ?? '');
  switch (route) {
    case 'createIncident':
      return createIncident(fake, body, base);
    case 'updateIncident':
      return updateIncident(fake, fake.incident(id), body, requesterId);
    case 'getIncident': {
      const incident = fake.incident(id);
      return incident ? { status: 200, body: { incident: incidentJson(incident, fake) } } : notFound;
    }
    case 'listIncidents':
      return listIncidents(fake, query);
    case 'getUser': {
      // GET /users/{id}: the user with their email (what Muster matches to a Slack account)
      const user = fake.user(id);
      return user ? { status: 200, body: { user: userObject(user, base) } } : notFound;
    }
    default:
      return onCalls(fake, query, base);
  }
}

function createIncident(fake: FakePagerDuty, body: unknown, base: string): Answer {
  const inc = isRecord(body) ? body['incident'] : undefined;
  if (!isRecord(inc)) return invalidInput("'incident' is required");
  if (inc['type'] !== 'incident') return invalidInput("'incident.type' must be 'incident'");
  if (!nonEmpty(inc['title'])) return invalidInput("'incident.title' is required");
  const serviceId = isRecord(inc['service']) ? inc['service']['id'] : undefined;
  const service = typeof serviceId === 'string' ? fake.service(serviceId) : undefined;
  if (!service) return invalidInput('Service not found');
  const policyId = isRecord(inc['escalation_policy'])
    ? inc['escalation_policy']['id']
    : service.escalationPolicyId;
  if (typeof policyId !== 'string' || !fake.policy(policyId))
    return invalidInput('Escalation policy not found');
  const urgency = inc['urgency'] ?? 'high';
  if (urgency !== 'high' && urgency !== 'low') return invalidInput("'incident.urgency' must be high or low");
  const key = inc['incident_key'];
  if (key !== undefined && typeof key !== 'string')
    return invalidInput("'incident.incident_key' must be a string");
  // The spec: a second open incident with the same incident_key on a service is rejected.
  const duplicate = [...fake.incidents.values()].some(
    (i) =>
      i.serviceId === service.id && i.incidentKey === key && key !== undefined && i.status !== 'resolved',
  );
  if (duplicate) return invalidInput('Open incident with matching dedup key already exists on this service');
  const details = isRecord(inc['body']) ? inc['body']['details'] : undefined;
  const incident = fake.openIncident({
    title: inc['title'],
    incidentKey: key ?? null,
    serviceId: service.id,
    escalationPolicyId: policyId,
    urgency,
    via: 'rest',
    details: details === undefined ? null : typeof details === 'string' ? details : JSON.stringify(details),
    base,
  });
  return { status: 201, body: { incident: incidentJson(incident, fake) } };
}

function updateIncident(
  fake: FakePagerDuty,
  incident: FakeIncident | undefined,
  body: unknown,
  by: string | null,
): Answer {
  if (!incident) return notFound;
  const inc = isRecord(body) ? body['incident'] : undefined;
  if (!isRecord(inc)) return invalidInput("'incident' is required");
  if (inc['type'] !== 'incident' && inc['type'] !== 'incident_reference') {
    return invalidInput("'incident.type' must be 'incident' or 'incident_reference'");
  }
  const status = inc['status'];
  if (status !== undefined && status !== 'acknowledged' && status !== 'resolved' && status !== 'triggered') {
    return invalidInput("'incident.status' must be one of resolved, acknowledged, triggered");
  }
  const level = inc['escalation_level'];
  const levels = fake.policy(incident.escalationPolicyId)?.levels.length ?? 0;
  if (
    level !== undefined &&
    (!Number.isInteger(level) || (level as number) < 1 || (level as number) > levels)
  ) {
    return invalidInput(`'incident.escalation_level' must be between 1 and ${levels}`);
  }
  if (typeof level === 'number') fake.escalate(incident, level);
  if (status !== undefined) fake.setStatus(incident, status, by);
  return { status: 200, body: { incident: incidentJson(incident, fake) } };
}

function listIncidents(fake: FakePagerDuty, query: URLSearchParams): Answer {
  const key = query.get('incident_key');
  const statuses = query.getAll('statuses[]');
  const services = query.getAll('service_ids[]');
  const incidents = [...fake.incidents.values()].filter(
    (i) =>
      (key === null || i.incidentKey === key) &&
      (statuses.length === 0 || statuses.includes(i.status)) &&
      (services.length === 0 || services.includes(i.serviceId)),
  );
  return {
    status: 200,
    body: {
      incidents: incidents.map((i) => incidentJson(i, fake)),
      limit: 25,
      offset: 0,
      more: false,
      total: null,
    },
  };
}

function onCalls(fake: FakePagerDuty, query: URLSearchParams, base: string): Answer {
  const wanted = query.getAll('escalation_policy_ids[]');
  const withUsers = query.getAll('include[]').includes('users');
  const oncalls = fake.policies
    .filter((p) => wanted.length === 0 || wanted.includes(p.id))
    .flatMap((p) =>
      p.levels.flatMap((ids, index) =>
        ids.flatMap((id) => {
          const u = fake.user(id);
          if (!u) return [];
          return [
            {
              escalation_policy: policyReference(p, p.id, base),
              escalation_level: index + 1,
              schedule: null,
              start: null,
              end: null,
              user: withUsers ? userObject(u, base) : userReference(u, base),
            },
          ];
        }),
      ),
    );
  return { status: 200, body: { oncalls, limit: 25, offset: 0, more: false, total: null } };
}
