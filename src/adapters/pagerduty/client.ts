/**
 * PagerDuty over @pagerduty/pdjs 2.2.4: Events API v2 (`/v2/enqueue`) and the REST calls Muster uses.
 *
 * pdjs quirks this file works around (see DEPENDENCY-NOTES.md):
 * - `event()` always builds `https://${server}/v2/enqueue`, so it cannot reach a plain-http fake or a
 *   configured URL with a path. Events go through pdjs's own `request()` (the function `event()` calls)
 *   with `${eventsUrl}/v2/enqueue`. Not `api({ url })`: that would add `Authorization: Token token=…`
 *   and leak the REST token to the Events endpoint, which authenticates by the routing key in the body.
 * - `requestTimeout` never aborts and leaves a 30 s timer behind, so it is 0 and every call runs under
 *   our own AbortController deadline whose timer is always cleared.
 * - pdjs retries a 429 by itself three times after `retryTimeout` (default 20 s, ignoring Retry-After).
 *   `retryTimeout: 0` keeps a rate-limited call short (at most four attempts, no sleeping timer); when the
 *   429 persists it surfaces as `rate_limited` with Retry-After, and the outbox owns the back-off.
 * - a body that is not JSON makes `api()` reject with the bare response; it is mapped by its status.
 * pdjs and the fetch polyfill it brings are imported at the first call to PagerDuty (pdjs.ts), not at every
 * start of Muster.
 */
import { PagerError, type PagerErrorCode } from '../../domain/ports.js';

export interface PagerDutyClientConfig {
  /** e.g. `https://events.pagerduty.com`; `/v2/enqueue` is appended */
  eventsUrl: string;
  /** e.g. `https://api.pagerduty.com` */
  apiUrl: string;
  /** REST API token; REST calls fail with `unauthorized` without one */
  token?: string;
  /** email of a PagerDuty user, sent as `From` on REST writes */
  from?: string;
  timeoutMs: number;
  /** epoch ms; used to read a Retry-After given as an HTTP date */
  now?: () => number;
}

/** The failures a PagerDuty call reports: every code of the port's PagerError but `undeliverable`. */
export type PagerDutyErrorCode = Exclude<PagerErrorCode, 'undeliverable'>;

/** A failed PagerDuty call, the port's PagerError as the client raises it. Its message never holds the token or the routing key. */
export class PagerDutyError extends PagerError {
  declare readonly code: PagerDutyErrorCode;
  constructor(
    code: PagerDutyErrorCode,
    message: string,
    status?: number,
    retryAfterSeconds?: number,
    /** PagerDuty's own error details, e.g. `Length of 'routing_key' is incorrect (should be 32 characters)` */
    errors: string[] = [],
  ) {
    super(code, message, status, retryAfterSeconds, errors);
    this.name = 'PagerDutyError';
  }
}

export type PagerDutyEventAction = 'trigger' | 'acknowledge' | 'resolve';

export interface PagerDutyEvent {
  routingKey: string;
  action: PagerDutyEventAction;
  dedupKey: string;
  /** required by PagerDuty for `trigger`, ignored otherwise */
  payload?: {
    summary: string;
    source: string;
    severity: 'critical' | 'error' | 'warning' | 'info';
    timestamp?: string;
    component?: string;
    group?: string;
    class?: string;
    customDetails?: Record<string, unknown>;
  };
  links?: { href: string; text?: string }[];
  client?: string;
  clientUrl?: string;
}

export type PagerDutyIncidentStatus = 'triggered' | 'acknowledged' | 'resolved';

export interface PagerDutyIncident {
  id: string;
  number: number | null;
  status: PagerDutyIncidentStatus;
  title: string;
  htmlUrl: string | null;
  incidentKey: string | null;
  assignees: { id: string; name: string }[];
}

export interface NewPagerDutyIncident {
  serviceId: string;
  escalationPolicyId?: string;
  title: string;
  urgency: 'high' | 'low';
  incidentKey: string;
  /** plain-text details shown on the incident */
  body: string;
}

export interface PagerDutyOnCall {
  level: number;
  user: { id: string; name: string; email?: string };
}

type Json = Record<string, unknown>;
type Query = Record<string, string | string[]>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const trimSlash = (url: string): string => url.replace(/\/+$/, '');

/** Events API v2 and REST calls with one error type; every call ends within `timeoutMs`. */
export class PagerDutyClient {
  private readonly eventsEndpoint: string;
  private readonly apiBase: string;
  private readonly now: () => number;

  constructor(private readonly config: PagerDutyClientConfig) {
    this.eventsEndpoint = `${trimSlash(config.eventsUrl)}/v2/enqueue`;
    this.apiBase = trimSlash(config.apiUrl);
    this.now = config.now ?? Date.now;
  }

  /** Sends one Events v2 event and returns PagerDuty's dedup key; rejects with PagerDutyError. */
  async sendEvent(event: PagerDutyEvent): Promise<{ dedupKey: string }> {
    const body: Json = {
      routing_key: event.routingKey,
      event_action: event.action,
      dedup_key: event.dedupKey,
    };
    if (event.payload) {
      const { customDetails, ...rest } = event.payload;
      body['payload'] = { ...rest, ...(customDetails ? { custom_details: customDetails } : {}) };
    }
    if (event.links) body['links'] = event.links;
    if (event.client) body['client'] = event.client;
    if (event.clientUrl) body['client_url'] = event.clientUrl;
    const op = `events ${event.action}`;
    const { status, headers, data } = await this.deadline(op, [event.routingKey], async (signal) => {
      const { request } = await import('./pdjs.js');
      const res = await request(this.eventsEndpoint, {
        method: 'POST',
        body: JSON.stringify(body),
        signal,
        requestTimeout: 0,
        retryTimeout: 0,
      });
      return { status: res.status, headers: res.headers, data: parseJson(await res.text()) };
    });
    if (status < 200 || status > 299) throw this.httpError(op, status, headers, data, [event.routingKey]);
    return { dedupKey: str(isObject(data) ? data['dedup_key'] : undefined) ?? event.dedupKey };
  }

  /**
   * Opens a REST incident (From header, escalation policy, incident key). PagerDuty refuses a second open
   * incident with the same key on a service, so a 400 is checked against the open incidents with that key:
   * a retried create then returns the incident the first attempt made instead of failing.
   */
  async createIncident(input: NewPagerDutyIncident): Promise<PagerDutyIncident> {
    const incident: Json = {
      type: 'incident',
      title: input.title,
      service: { id: input.serviceId, type: 'service_reference' },
      urgency: input.urgency,
      incident_key: input.incidentKey,
      body: { type: 'incident_body', details: input.body },
    };
    if (input.escalationPolicyId) {
      incident['escalation_policy'] = { id: input.escalationPolicyId, type: 'escalation_policy_reference' };
    }
    try {
      const data = await this.rest('create incident', 'POST', '/incidents', { incident }, true);
      return toIncident(isObject(data) ? data['incident'] : undefined);
    } catch (err) {
      if (!(err instanceof PagerDutyError) || err.status !== 400) throw err;
      const existing = await this.findOpenIncident(input.incidentKey, input.serviceId);
      if (existing) return existing;
      throw err;
    }
  }

  /** Acknowledges, resolves or escalates a REST incident; rejects with PagerDutyError. */
  async updateIncident(
    id: string,
    change: { status?: 'acknowledged' | 'resolved'; escalationLevel?: number; resolution?: string },
  ): Promise<PagerDutyIncident> {
    const incident: Json = { type: 'incident_reference' };
    if (change.status) incident['status'] = change.status;
    if (change.escalationLevel !== undefined) incident['escalation_level'] = change.escalationLevel;
    if (change.resolution) incident['resolution'] = change.resolution;
    const data = await this.rest(
      'update incident',
      'PUT',
      `/incidents/${encodeURIComponent(id)}`,
      { incident },
      true,
    );
    return toIncident(isObject(data) ? data['incident'] : undefined);
  }

  /** One REST incident; rejects with PagerDutyError (`not_found` for an unknown id). */
  async getIncident(id: string): Promise<PagerDutyIncident> {
    const data = await this.rest('get incident', 'GET', `/incidents/${encodeURIComponent(id)}`);
    return toIncident(isObject(data) ? data['incident'] : undefined);
  }

  /** The triggered or acknowledged incident with this incident key (on this service), or null. */
  async findOpenIncident(incidentKey: string, serviceId?: string): Promise<PagerDutyIncident | null> {
    const query: Query = { incident_key: incidentKey, 'statuses[]': ['triggered', 'acknowledged'] };
    if (serviceId) query['service_ids[]'] = [serviceId];
    const data = await this.rest('find incident', 'GET', '/incidents', query);
    const list = isObject(data) && Array.isArray(data['incidents']) ? data['incidents'] : [];
    return list.length > 0 ? toIncident(list[0]) : null;
  }

  /** A user's email address (`GET /users/{id}`), null when PagerDuty gives none; rejects with PagerDutyError. */
  async userEmail(userId: string): Promise<string | null> {
    const data = await this.rest('get user', 'GET', `/users/${encodeURIComponent(userId)}`);
    const user = isObject(data) && isObject(data['user']) ? data['user'] : null;
    return (user && str(user['email'])) ?? null;
  }

  /** Who is on call for an escalation policy, by level then name; rejects with PagerDutyError. */
  async onCalls(escalationPolicyId: string): Promise<PagerDutyOnCall[]> {
    const data = await this.rest('list on-calls', 'GET', '/oncalls', {
      'escalation_policy_ids[]': [escalationPolicyId],
      'include[]': ['users'],
      limit: '100',
    });
    const rows = isObject(data) && Array.isArray(data['oncalls']) ? data['oncalls'] : [];
    const seen = new Set<string>();
    const out: PagerDutyOnCall[] = [];
    for (const row of rows) {
      if (!isObject(row) || !isObject(row['user'])) continue;
      const user = row['user'];
      const id = str(user['id']);
      const level = typeof row['escalation_level'] === 'number' ? row['escalation_level'] : 1;
      // One user can be on call at a level through several schedules; name them once.
      if (!id || seen.has(`${level}:${id}`)) continue;
      seen.add(`${level}:${id}`);
      const email = str(user['email']);
      out.push({
        level,
        user: { id, name: str(user['name']) ?? str(user['summary']) ?? id, ...(email ? { email } : {}) },
      });
    }
    return out.sort((a, b) => a.level - b.level || a.user.name.localeCompare(b.user.name));
  }

  private async rest(
    op: string,
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    data?: object,
    write = false,
  ): Promise<unknown> {
    const token = this.config.token;
    if (!token) throw new PagerDutyError('unauthorized', `PagerDuty ${op}: no REST API token is configured`);
    const headers: Record<string, string> = {};
    if (write) {
      if (!this.config.from)
        throw new PagerDutyError('invalid_request', `PagerDuty ${op}: PAGERDUTY_FROM is not set`);
      headers['From'] = this.config.from;
    }
    const secrets = [token];
    const res = await this.deadline(op, secrets, async (signal) => {
      try {
        const { api } = await import('./pdjs.js');
        const r = await api({
          url: this.apiBase + path,
          method,
          token,
          headers,
          signal,
          requestTimeout: 0,
          retryTimeout: 0,
          ...(data ? { data } : {}),
        });
        return { status: r.status, headers: r.headers, data: r.data as unknown };
      } catch (err) {
        // pdjs rejects with the response itself when the body is not JSON (e.g. a proxy's 502 page).
        if (isObject(err) && typeof err['status'] === 'number' && err['headers'] instanceof Object) {
          return { status: err['status'], headers: err['headers'] as Headers, data: undefined };
        }
        throw err;
      }
    });
    if (res.status < 200 || res.status > 299)
      throw this.httpError(op, res.status, res.headers, res.data, secrets);
    if (res.status !== 204 && res.data === undefined) {
      throw new PagerDutyError(
        'server_error',
        `PagerDuty ${op}: unreadable response (HTTP ${res.status})`,
        res.status,
      );
    }
    return res.data;
  }

  /** Runs one call under an AbortController deadline; transport failures become PagerDutyError. */
  private async deadline<T>(
    op: string,
    secrets: string[],
    run: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.config.timeoutMs);
    try {
      return await run(controller.signal);
    } catch (err) {
      if (err instanceof PagerDutyError) throw err;
      if (controller.signal.aborted) {
        throw new PagerDutyError('timeout', `PagerDuty ${op}: no answer within ${this.config.timeoutMs} ms`);
      }
      if (isObject(err) && (err['name'] === 'FetchError' || typeof err['code'] === 'string')) {
        const reason = scrub(String(err['message'] ?? err['code']), secrets);
        throw new PagerDutyError('network', `PagerDuty ${op}: ${reason}`);
      }
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private httpError(
    op: string,
    status: number,
    headers: Headers,
    data: unknown,
    secrets: string[],
  ): PagerDutyError {
    const code: PagerDutyErrorCode =
      status === 401
        ? 'unauthorized'
        : status === 403
          ? 'forbidden'
          : status === 404
            ? 'not_found'
            : status === 429
              ? 'rate_limited'
              : status >= 500
                ? 'server_error'
                : 'invalid_request';
    // Events v2 errors are `{ status, message, errors }`; REST errors are `{ error: { message, code, errors } }`.
    const err = isObject(data) && isObject(data['error']) ? data['error'] : isObject(data) ? data : {};
    const errors = (Array.isArray(err['errors']) ? err['errors'] : []).filter((e) => typeof e === 'string');
    const summary = [str(err['message']), errors.join('; ')].filter(Boolean).join(': ');
    const retryAfter =
      code === 'rate_limited' ? parseRetryAfter(headers.get('retry-after'), this.now()) : undefined;
    const message = scrub(
      `PagerDuty ${op}: HTTP ${status} ${code}${summary ? ` (${summary})` : ''}`,
      secrets,
    );
    return new PagerDutyError(
      code,
      message,
      status,
      retryAfter,
      errors.map((e) => scrub(e, secrets)),
    );
  }
}

function toIncident(raw: unknown): PagerDutyIncident {
  if (!isObject(raw) || typeof raw['id'] !== 'string') {
    throw new PagerDutyError('server_error', 'PagerDuty answered without an incident');
  }
  const status = str(raw['status']);
  const assignments = Array.isArray(raw['assignments']) ? raw['assignments'] : [];
  return {
    id: raw['id'],
    number: typeof raw['incident_number'] === 'number' ? raw['incident_number'] : null,
    status: status === 'acknowledged' || status === 'resolved' ? status : 'triggered',
    title: str(raw['title']) ?? str(raw['summary']) ?? '',
    htmlUrl: str(raw['html_url']) ?? null,
    incidentKey: str(raw['incident_key']) ?? null,
    assignees: assignments.flatMap((a) => {
      const who = isObject(a) && isObject(a['assignee']) ? a['assignee'] : null;
      const id = who ? str(who['id']) : undefined;
      return who && id ? [{ id, name: str(who['summary']) ?? id }] : [];
    }),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Retry-After is delta-seconds or an HTTP date. */
function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('[redacted]');
  return out;
}
