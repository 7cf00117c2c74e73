/** The counters the core moves; the Prometheus adapter (adapters/http/metrics.ts) implements them. */
export interface Counter<L extends string = string> {
  inc(labels: Partial<Record<L, string>>, value?: number): void;
}

export interface CoreMetrics {
  /** incidents declared, by severity */
  readonly incidentsDeclared: Counter<'severity'>;
  /** inbound deliveries, by source and outcome */
  readonly eventsReceived: Counter<'source' | 'outcome'>;
  /** pages sent to PagerDuty, by how */
  readonly pagesSent: Counter<'kind' | 'via'>;
  /** pages PagerDuty refused for good */
  readonly pagesFailed: Counter<'kind' | 'via'>;
}
