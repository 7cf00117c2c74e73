import type { Severity } from './incident.js';

export type PageStatus = 'pending' | 'triggered' | 'acknowledged' | 'resolved' | 'failed';

/** One PagerDuty page: an incident paging one catalog service. Times are epoch ms UTC. */
export interface Page {
  id: number;
  incidentNumber: number;
  service: string;
  via: 'events' | 'rest';
  dedupKey: string;
  pdIncidentId: string | null;
  status: PageStatus;
  message: string | null;
  severity: Severity;
  requestedBy: string;
  requestedAt: number;
  triggeredAt: number | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
  escalationPromptedAt: number | null;
  escalationLevel: number;
}

/** Events v2 severity for a Muster severity. */
export const PD_SEVERITY: Record<Severity, 'critical' | 'error' | 'warning' | 'info'> = {
  1: 'critical',
  2: 'error',
  3: 'warning',
  4: 'info',
};

/** Stable per incident and service, so PagerDuty itself deduplicates a repeated trigger. */
export const dedupKeyFor = (incidentNumber: number, service: string): string =>
  `muster-inc-${incidentNumber}-${service.toLowerCase()}`;
