/**
 * A fake PagerDuty for tests and the sandbox: Events API v2 (`POST /v2/enqueue`) and the REST calls Muster
 * makes (`POST /incidents`, `PUT|GET /incidents/{id}`, `GET /incidents`, `GET /oncalls`), served by a Node
 * `(req, res) => boolean` handler so it can run on its own server or inside the sandbox's. It keeps every
 * request, can fail, go down or hang on demand, and sends signed webhooks v3 back (auto-acknowledge).
 *
 * Like the real Events API it deduplicates: a trigger whose dedup key matches an open alert on the same
 * service changes nothing, so "one delivery per page" is checked on both the raw requests
 * (`triggersFor`) and the incidents (`incidentsFor`).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, MAX_BODY_BYTES, readBody, refuseTooLarge } from '../../../src/index.js';
import { serveEnqueue, serveRest } from './pagerduty-routes.js';
import { deliverWebhook, type WebhookDelivery, type WebhookOptions } from './pagerduty-webhooks.js';
import {
  eventsError,
  type FakeEscalationPolicy,
  type FakeIncident,
  type FakePagerDutyService,
  type FakePagerDutyUser,
  type NewFakeIncident,
  restError,
  type WireDirectory,
} from './pagerduty-wire-objects.js';

export type { WebhookDelivery, WebhookOptions };

export type FakePagerDutyRoute =
  | 'enqueue'
  | 'createIncident'
  | 'updateIncident'
  | 'getIncident'
  | 'listIncidents'
  | 'oncalls'
  | 'getUser';

export interface RecordedPagerDutyRequest {
  seq: number;
  route: FakePagerDutyRoute;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** parsed JSON body, undefined when absent or not JSON */
  body: unknown;
  /** the status answered; null while held by `hang()` */
  status: number | null;
  /** epoch ms */
  at: number;
}

export interface FakePagerDutyOptions {
  users?: FakePagerDutyUser[];
  escalationPolicies?: FakeEscalationPolicy[];
  services?: FakePagerDutyService[];
  /** REST token with full access; random by default */
  token?: string;
  /** email sent as `From`; must be one of the users; default the last seeded user */
  from?: string;
  /** path prefix when mounted inside another server, e.g. `/_sandbox/pagerduty` */
  basePath?: string;
  now?: () => number;
}

interface Failure {
  status: number;
  remaining: number;
  retryAfter?: number | string;
  body?: string;
}

/**
 * How many requests and webhooks are kept for inspection, the oldest dropped first: the sandbox's PagerDuty runs
 * for days, and each request may hold a body of up to a megabyte.
 */
export const RECORDED_REQUESTS_CAP = 1000;

export const alphanumeric = (n: number): string => randomBytes(n).toString('hex').slice(0, n);

export const DEFAULT_PAGERDUTY_USERS: FakePagerDutyUser[] = [
  { id: 'PU00001', name: 'Jane Doe', email: 'jane.doe@example.com' },
  { id: 'PU00002', name: 'Sam Lee', email: 'sam.lee@example.com' },
  { id: 'PU00003', name: 'Muster Bot', email: 'muster@example.com' },
];

/** In-memory PagerDuty. `handle` answers its own paths and returns false for anything else. */
export class FakePagerDuty implements WireDirectory {
  readonly token: string;
  /** a valid token without write access: writes answer 403 */
  readonly readOnlyToken: string;
  readonly from: string;
  /** the routing key of the first service */
  readonly routingKey: string;
  readonly basePath: string;
  /** the latest requests (up to RECORDED_REQUESTS_CAP), oldest first */
  readonly requests: RecordedPagerDutyRequest[] = [];
  /** the latest webhooks sent (up to RECORDED_REQUESTS_CAP), oldest first */
  readonly webhooks: WebhookDelivery[] = [];
  readonly incidents = new Map<string, FakeIncident>();
  readonly users: FakePagerDutyUser[];
  readonly policies: FakeEscalationPolicy[];
  readonly services: FakePagerDutyService[];
  readonly now: () => number;
  /** open Events v2 alerts: `${serviceId} ${dedupKey}` -> incident id */
  readonly alerts = new Map<string, string>();

  private mode: { kind: 'up' } | { kind: 'down'; status: number; retryAfter?: number } | { kind: 'hang' } = {
    kind: 'up',
  };
  private readonly failures = new Map<FakePagerDutyRoute, Failure[]>();
  private readonly held = new Set<ServerResponse>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiters = new Set<() => void>();
  private autoAck: { afterMs: number; webhookUrl: string; secret: string | string[] } | null = null;
  private incidentCount = 0;
  private requestCount = 0;

  constructor(options: FakePagerDutyOptions = {}) {
    this.now = options.now ?? Date.now;
    this.basePath = (options.basePath ?? '').replace(/\/+$/, '');
    this.users = options.users ?? DEFAULT_PAGERDUTY_USERS;
    const [first, second] = this.users;
    this.policies = options.escalationPolicies ?? [
      {
        id: 'PEP0001',
        name: 'Checkout on-call',
        levels: [first ? [first.id] : [], second ? [second.id] : []],
      },
    ];
    this.services = (
      options.services ?? [
        { id: 'PSVC001', name: 'Checkout', escalationPolicyId: this.policies[0]?.id ?? '' },
      ]
    ).map((s, i) => (i === 0 && !s.routingKey ? { ...s, routingKey: alphanumeric(32) } : s));
    this.routingKey = this.services[0]?.routingKey ?? alphanumeric(32);
    this.token = options.token ?? `u+${alphanumeric(18)}`;
    this.readOnlyToken = `r+${alphanumeric(18)}`;
    this.from = options.from ?? this.users[this.users.length - 1]?.email ?? 'muster@example.com';
  }

  user = (id: string) => this.users.find((u) => u.id === id);
  service = (id: string) => this.services.find((s) => s.id === id);
  policy = (id: string) => this.policies.find((p) => p.id === id);
  incident = (id: string) => this.incidents.get(id);

  /** Answers requests under `basePath` it knows; returns false (untouched) for any other path. */
  handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    if (this.basePath && !url.pathname.startsWith(`${this.basePath}/`)) return false;
    const path = url.pathname.slice(this.basePath.length);
    const route = routeOf(req.method ?? 'GET', path);
    if (!route) return false;
    this.serve(route, path, url.searchParams, req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) {
        refuseTooLarge(req, res, restError(`Request body over ${MAX_BODY_BYTES} bytes`));
        return;
      }
      // A request torn down mid-body has no one left to answer.
      res.destroy();
    });
    return true;
  };

  /** The next `times` requests to `route` answer `status` (with Retry-After when given). */
  failNext(
    route: FakePagerDutyRoute,
    f: { status: number; times?: number; retryAfter?: number | string; body?: string },
  ): void {
    const list = this.failures.get(route) ?? [];
    list.push({ status: f.status, remaining: f.times ?? 1, retryAfter: f.retryAfter, body: f.body });
    this.failures.set(route, list);
  }

  /** Every request answers `status` (with Retry-After when given) until `up()`. */
  down(status = 503, retryAfter?: number): void {
    this.mode = { kind: 'down', status, ...(retryAfter === undefined ? {} : { retryAfter }) };
  }

  /** Requests are held unanswered (for timeouts) until `up()` or `close()`, which drop them. */
  hang(): void {
    this.mode = { kind: 'hang' };
  }

  up(): void {
    this.mode = { kind: 'up' };
    this.dropHeld();
  }

  /** After `afterMs`, each new incident still triggered is acknowledged by its assignee and announced by a signed `incident.acknowledged` webhook. */
  autoAcknowledge(options: { afterMs: number; webhookUrl: string; secret: string | string[] } | null): void {
    this.autoAck = options;
  }

  /** Changes the incident as the event says (acknowledged, resolved, escalated, reassigned) and delivers a signed webhook for it. */
  async sendWebhook(eventType: string, incidentId: string, opts: WebhookOptions): Promise<WebhookDelivery> {
    const incident = this.incidents.get(incidentId);
    if (!incident) throw new Error(`fake PagerDuty: no incident ${incidentId}`);
    const delivery = await deliverWebhook(this, eventType, incident, opts);
    this.webhooks.push(delivery);
    keepLatest(this.webhooks);
    this.changed();
    return delivery;
  }

  /** Accepted (2xx) Events v2 trigger requests with this dedup key. */
  triggersFor(dedupKey: string): number {
    return this.eventRequests(dedupKey, 'trigger').filter((r) => r.status !== null && r.status < 300).length;
  }

  /** Every Events v2 request for this dedup key (any action and status unless given). */
  eventRequests(dedupKey: string, action?: string): RecordedPagerDutyRequest[] {
    return this.requests.filter((r) => {
      const b = r.route === 'enqueue' && isRecord(r.body) ? r.body : null;
      return (
        b !== null && b['dedup_key'] === dedupKey && (action === undefined || b['event_action'] === action)
      );
    });
  }

  /** Distinct incidents (Events v2 or REST) carrying this dedup / incident key. */
  incidentsFor(dedupKey: string): FakeIncident[] {
    return [...this.incidents.values()].filter((i) => i.incidentKey === dedupKey);
  }

  requestsTo(route: FakePagerDutyRoute): RecordedPagerDutyRequest[] {
    return this.requests.filter((r) => r.route === route);
  }

  /** Resolves once `predicate` holds, checked now and after every request and webhook. */
  waitFor(predicate: (fake: FakePagerDuty) => boolean): Promise<void> {
    if (predicate(this)) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!predicate(this)) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  /** Drops held requests and pending auto-acknowledgements. */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.autoAck = null;
    this.dropHeld();
  }

  // ---- used by the routes ----

  /** Opens an incident assigned to level 1 of the service's policy, and schedules its auto-acknowledgement. */
  openIncident(input: NewFakeIncident): FakeIncident {
    const at = this.now();
    this.incidentCount += 1;
    const incident: FakeIncident = {
      ...input,
      id: `PI${String(this.incidentCount).padStart(5, '0')}`,
      number: this.incidentCount,
      status: 'triggered',
      escalationLevel: 1,
      assigneeIds: this.policy(input.escalationPolicyId)?.levels[0] ?? [],
      acknowledgedBy: null,
      createdAt: at,
      updatedAt: at,
      lastStatusChangeAt: at,
      resolvedAt: null,
    };
    this.incidents.set(incident.id, incident);
    if (this.autoAck) this.scheduleAutoAck(incident.id, this.autoAck);
    return incident;
  }

  setStatus(i: FakeIncident, status: FakeIncident['status'], by: string | null): void {
    const at = this.now();
    if (i.status !== status) i.lastStatusChangeAt = at;
    i.status = status;
    i.updatedAt = at;
    i.acknowledgedBy = status === 'acknowledged' ? by : null;
    if (status === 'resolved') {
      i.resolvedAt = at;
      i.assigneeIds = [];
      for (const [key, id] of this.alerts) if (id === i.id) this.alerts.delete(key);
    }
  }

  escalate(i: FakeIncident, level: number): void {
    i.escalationLevel = level;
    i.assigneeIds = this.policy(i.escalationPolicyId)?.levels[level - 1] ?? [];
    this.setStatus(i, 'triggered', null);
  }

  private scheduleAutoAck(
    incidentId: string,
    opts: { afterMs: number; webhookUrl: string; secret: string | string[] },
  ) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.incidents.get(incidentId)?.status !== 'triggered') return;
      void this.sendWebhook('incident.acknowledged', incidentId, {
        url: opts.webhookUrl,
        secret: opts.secret,
      });
    }, opts.afterMs);
    timer.unref();
    this.timers.add(timer);
  }

  private async serve(
    route: FakePagerDutyRoute,
    path: string,
    query: URLSearchParams,
    req: IncomingMessage,
    res: ServerResponse,
  ) {
    const rawBody = (await readBody(req)).toString('utf8');
    this.requestCount += 1;
    const record: RecordedPagerDutyRequest = {
      seq: this.requestCount,
      route,
      method: req.method ?? 'GET',
      path,
      query,
      headers: req.headers,
      rawBody,
      body: parseJson(rawBody),
      status: null,
      at: this.now(),
    };
    this.requests.push(record);
    keepLatest(this.requests);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const type = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(text);
      this.changed();
    };
    if (this.mode.kind === 'hang') {
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      this.changed();
      return;
    }
    const failure: Failure | undefined =
      this.mode.kind === 'down' ? { ...this.mode, remaining: 0 } : this.takeFailure(route);
    if (failure) {
      const retryAfter: Record<string, string> =
        failure.retryAfter === undefined ? {} : { 'retry-after': String(failure.retryAfter) };
      answer(failure.status, failure.body ?? failureBody(route, failure.status), retryAfter);
      return;
    }
    const base = `http://${req.headers.host ?? '127.0.0.1'}${this.basePath}`;
    const out =
      route === 'enqueue'
        ? serveEnqueue(this, record.body, rawBody, base)
        : serveRest(this, route, path, query, req.headers, record.body, base);
    answer(out.status, out.body);
  }

  private takeFailure(route: FakePagerDutyRoute): Failure | undefined {
    const list = this.failures.get(route);
    const f = list?.[0];
    if (!list || !f) return undefined;
    f.remaining -= 1;
    if (f.remaining <= 0) list.shift();
    return f;
  }

  private dropHeld(): void {
    for (const res of this.held) res.socket?.destroy();
    this.held.clear();
  }

  private changed(): void {
    for (const check of [...this.waiters]) check();
  }
}

function routeOf(method: string, path: string): FakePagerDutyRoute | null {
  if (path === '/v2/enqueue') return method === 'POST' ? 'enqueue' : null;
  if (path === '/incidents')
    return method === 'POST' ? 'createIncident' : method === 'GET' ? 'listIncidents' : null;
  if (/^\/incidents\/[^/]+$/.test(path))
    return method === 'PUT' ? 'updateIncident' : method === 'GET' ? 'getIncident' : null;
  if (path === '/oncalls') return method === 'GET' ? 'oncalls' : null;
  if (/^\/users\/[^/]+$/.test(path)) return method === 'GET' ? 'getUser' : null;
  return null;
}

function failureBody(route: FakePagerDutyRoute, status: number): unknown {
  const message =
    status === 429 ? 'Too Many Requests' : status >= 500 ? 'Internal Server Error' : 'Request failed';
  return route === 'enqueue'
    ? eventsError(status === 429 ? 'throttle event' : 'error', message)
    : restError(message);
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function keepLatest<T>(list: T[]): void {
  if (list.length > RECORDED_REQUESTS_CAP) list.splice(0, list.length - RECORDED_REQUESTS_CAP);
}
