/**
 * Recording when customer impact began and when it was detected (`/incident impact|detected <when>`, the
 * headline's "Impact times" form): each `<when>` is placed on the clock, the domain checks the order, and the
 * incident and one timeline entry per changed time are stored in one transaction.
 */
import {
  type ImpactTimesChange,
  resolveWhen,
  setImpactTimes,
  type WhenSpec,
  type ZoneRules,
} from '../../domain/impact.js';
import type { Incident } from '../../domain/incident.js';
import type { Notice } from '../../domain/notices.js';
import type { TimelineEntry } from '../../domain/timeline.js';
import type { Ports } from '../ports.js';
import { loadIncident, recordEntry } from './lifecycle-change.js';

export interface ImpactTimesInput {
  number: number;
  /** a `<when>` sets a time, null clears it (detection returns to its default), absent leaves it */
  impact?: WhenSpec | null;
  detected?: WhenSpec | null;
  by: string;
  /** INCIDENT_TIMEZONE: how `HH:MM` is read and the times are written on the timeline */
  zone: ZoneRules;
}

/**
 * Stores the new impact start and/or detection time with their timeline entries. Synchronous. Throws the
 * domain's DomainError: `impact.invalid_time`, `impact.future`, `impact.order` or `incident.unchanged`.
 */
export async function recordImpactTimes(
  ports: Pick<Ports, 'store' | 'clock' | 'log'>,
  input: ImpactTimesInput,
): Promise<{ before: Incident; incident: Incident; entries: TimelineEntry[]; notices: Notice[] }> {
  const now = ports.clock.now();
  const at = (w: WhenSpec | null): number | null => (w === null ? null : resolveWhen(w, now, input.zone));
  const change: ImpactTimesChange = {};
  if (input.impact !== undefined) change.impactStartedAt = at(input.impact);
  if (input.detected !== undefined) change.detectedAt = at(input.detected);
  const stored = await ports.store.tx(async () => {
    const before = await loadIncident(ports, input.number);
    const pages = await ports.store.pages.list(input.number);
    const result = setImpactTimes(before, pages, change, input.by, now, input.zone);
    const { impactStartedAt, detectedAt } = result.incident;
    const incident = await ports.store.incidents.update(input.number, { impactStartedAt, detectedAt }, now);
    const entries: TimelineEntry[] = [];
    for (const e of result.entries) entries.push(await recordEntry(ports, e, now));
    return { before, incident, entries };
  });
  ports.log.info(
    {
      incident: input.number,
      impactStartedAt: stored.incident.impactStartedAt,
      detectedAt: stored.incident.detectedAt,
    },
    'impact times recorded',
  );
  return {
    ...stored,
    notices: [{ kind: 'impact_times_set', incident: stored.incident, before: stored.before, by: input.by }],
  };
}
