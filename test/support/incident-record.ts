/** An incident as the store holds it: the test names what it is about, and nothing that comes later is set yet. */
import type { Incident } from '../../src/domain/incident.js';

type Named = Pick<
  Incident,
  | 'number'
  | 'title'
  | 'severity'
  | 'teamId'
  | 'channelId'
  | 'channelName'
  | 'declaredBy'
  | 'declaredAt'
  | 'updatedAt'
>;

/** An investigating incident with no description, impact or detection time, summary, headline or update. */
export function incidentRecord(fields: Named & Partial<Incident>): Incident {
  return {
    description: '',
    private: false,
    status: 'investigating',
    impactStartedAt: null,
    detectedAt: null,
    mitigatedAt: null,
    resolvedAt: null,
    summary: null,
    headlineTs: null,
    announceTs: null,
    lastUpdateAt: null,
    ...fields,
  };
}
