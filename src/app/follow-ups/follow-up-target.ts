/** Where an incident's follow-up issues go: the tracker of its first service that names one, else the catalog's default. */
import type { FollowUpTarget } from '../../domain/ports.js';
import type { Ports } from '../ports.js';

/**
 * The `follow_ups` of the first attached service (in the order they were attached) that names one; the
 * catalog's top-level `follow_ups` when none does; null without a catalog or a target.
 */
export async function followUpTarget(
  ports: Pick<Ports, 'store' | 'catalog'>,
  incidentNumber: number,
): Promise<FollowUpTarget | null> {
  const catalog = ports.catalog.current;
  if (!catalog) return null;
  for (const { service } of await ports.store.services.attached(incidentNumber)) {
    const target = catalog.find(service)?.followUps;
    if (target) return target;
  }
  return catalog.followUps;
}
