/** The `actions` list of an incident: its items, the issue of each (or where it stands), and the tracker that takes new ones. */
import type { ActionItem } from '../../domain/action-item.js';
import type { FollowUp } from '../../domain/follow-up.js';
import type { TrackerKind } from '../../domain/ports.js';
import type { Ports } from '../ports.js';
import { followUpTarget } from './follow-up-target.js';

export interface ActionsView {
  incidentNumber: number;
  items: ActionItem[];
  /** the follow-up of each item that has one, by action id */
  followUps: ReadonlyMap<number, FollowUp>;
  /** where a "Create issue" would send an item without one; null: no tracker takes this incident's follow-ups */
  tracker: TrackerKind | null;
}

/** Reads the incident's items by priority, with their follow-ups. */
export async function listActions(
  ports: Pick<Ports, 'store' | 'catalog'>,
  incidentNumber: number,
): Promise<ActionsView> {
  const [items, followUps, target] = await Promise.all([
    ports.store.actions.list(incidentNumber),
    ports.store.followUps.ofIncident(incidentNumber),
    followUpTarget(ports, incidentNumber),
  ]);
  return {
    incidentNumber,
    items,
    followUps: new Map(followUps.map((f) => [f.actionId, f])),
    tracker: target?.tracker ?? null,
  };
}
