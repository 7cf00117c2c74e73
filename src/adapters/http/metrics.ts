/** Prometheus metrics (prom-client), one registry per app so tests can run several apps in one process. */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'muster_http_requests_total',
    help: 'HTTP requests by route and outcome',
    labelNames: ['route', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'muster_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly commands = new Counter({
    name: 'muster_commands_total',
    help: 'Slash commands by subcommand and outcome',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly commandAckDuration = new Histogram({
    name: 'muster_command_ack_seconds',
    help: 'Time from receiving a slash command to acknowledging it, by subcommand',
    labelNames: ['command'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly incidentsDeclared = new Counter({
    name: 'muster_incidents_declared_total',
    help: 'Incidents declared, by severity',
    labelNames: ['severity'] as const,
    registers: [this.registry],
  });
  readonly slackApiErrors = new Counter({
    name: 'muster_slack_api_errors_total',
    help: 'Slack Web API errors by method and error code',
    labelNames: ['method', 'error'] as const,
    registers: [this.registry],
  });
  readonly eventsReceived = new Counter({
    name: 'muster_events_total',
    help: 'Inbound deliveries by source and outcome (new, duplicate, processed, failed)',
    labelNames: ['source', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly openIncidents = new Gauge({
    name: 'muster_open_incidents',
    help: 'Incidents not yet resolved',
    registers: [this.registry],
  });

  readonly pagesSent = new Counter({
    name: 'muster_pages_sent_total',
    help: 'PagerDuty deliveries that went through, by kind (trigger, resolve, escalate) and API (events, rest)',
    labelNames: ['kind', 'via'] as const,
    registers: [this.registry],
  });
  readonly pagesFailed = new Counter({
    name: 'muster_pages_failed_total',
    help: 'PagerDuty deliveries refused for good (400, 401, 403, 404), by kind and API',
    labelNames: ['kind', 'via'] as const,
    registers: [this.registry],
  });
  readonly pagerDutyRetries = new Counter({
    name: 'muster_pagerduty_retries_total',
    help: 'PagerDuty deliveries put off for a retry, by reason (rate_limited, server_error, timeout, network)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly followUpIssues = new Counter({
    name: 'muster_follow_up_issues_total',
    help: 'Attempts to create follow-up issues, by tracker (github, jira, linear) and outcome (created, retry, refused)',
    labelNames: ['tracker', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly pagesPending = new Gauge({
    name: 'muster_pages_pending',
    help: 'PagerDuty deliveries (pages, resolves, escalations) waiting in the outbox',
    registers: [this.registry],
  });
  readonly outboxAge = new Gauge({
    name: 'muster_outbox_oldest_age_seconds',
    help: 'Age of the oldest undelivered outbox row, 0 when the outbox is empty',
    registers: [this.registry],
  });

  /** Sets the outbox gauges (after each delivery pass). */
  outboxBacklog(pending: number, oldestAgeSeconds: number): void {
    this.pagesPending.set(pending);
    this.outboxAge.set(oldestAgeSeconds);
  }

  constructor(opts: { defaults?: boolean } = {}) {
    if (opts.defaults !== false) collectDefaultMetrics({ register: this.registry, prefix: 'muster_' });
  }
}
