/**
 * The storing half of every lifecycle use case: load the incident, apply the domain's transition, save the
 * incident and its timeline entries in one transaction. The use cases turn the change into notices, which the
 * edge tells after the ack.
 */
import { DomainError } from '../../domain/errors.js';
import { incidentRef, type Incident, type LifecycleCommand, transition } from '../../domain/incident.js';
import type { NewEntry, TimelineEntry } from '../../domain/timeline.js';
import type { Ports } from '../ports.js';
import { checkResponder } from './responders.js';

/** A stored change: the incident before and after, and the entries recorded. */
export interface LifecycleChange {
  before: Incident;
  incident: Incident;
  entries: TimelineEntry[];
  by: string;
}

/** The incident, or a `incident.not_found` DomainError (a button or modal of an incident since removed). */
export async function loadIncident(ports: Pick<Ports, 'store'>, number: number): Promise<Incident> {
  const incident = await ports.store.incidents.get(number);
  if (!incident)
    throw new DomainError('incident.not_found', `${incidentRef(number)} does not exist.`, { number });
  return incident;
}

/**
 * Adds a timeline entry. Commands are not redelivered, so a source key already taken (two changes in the
 * same millisecond) gets a suffix instead of being dropped. Call inside a transaction.
 */
export async function recordEntry(
  ports: Pick<Ports, 'store'>,
  entry: NewEntry,
  now: number,
): Promise<TimelineEntry> {
  for (let n = 1; ; n++) {
    const sourceKey = n === 1 ? entry.sourceKey : `${entry.sourceKey}#${n}`;
    const added = await ports.store.timeline.add({ ...entry, sourceKey }, now);
    if (added) return added;
  }
}

/**
 * Applies `command` to incident `number` and stores the result in one transaction; `within` runs inside
 * it (hooks writing their own rows). Throws the domain's DomainError for an impossible change, and
 * `policy.not_responder` (storing nothing) when INCIDENT_POLICY keeps the change for the responders.
 */
export async function applyLifecycle(
  ports: Pick<Ports, 'store' | 'clock' | 'config'>,
  number: number,
  command: LifecycleCommand,
  within?: (incident: Incident) => Promise<void>,
): Promise<LifecycleChange> {
  const now = ports.clock.now();
  return ports.store.tx(async () => {
    const before = await loadIncident(ports, number);
    await checkResponder(ports, before, command.kind, command.by);
    const result = transition(before, command, now);
    const { status, severity, mitigatedAt, resolvedAt, summary } = result.incident;
    const incident = await ports.store.incidents.update(
      number,
      { status, severity, mitigatedAt, resolvedAt, summary },
      now,
    );
    const entries: TimelineEntry[] = [];
    for (const e of result.entries) entries.push(await recordEntry(ports, e, now));
    await within?.(incident);
    return { before, incident, entries, by: command.by };
  });
}
