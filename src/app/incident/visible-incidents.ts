/**
 * Which incidents a person may see listed: every public one, and a private one only when they are a member of
 * its channel. A private incident without a channel yet, or whose membership the chat cannot tell, is hidden
 * (fail closed) and the failure logged. The listing views (`/incident list`, and later others) all ask here.
 */
import type { Incident } from '../../domain/incident.js';
import type { Ports } from '../ports.js';

/** `incidents` (or anything that says whether it is private and its channel) as `userId` may see them, in order. */
export async function visibleIncidents<T extends Pick<Incident, 'number' | 'private' | 'channelId'>>(
  ports: Pick<Ports, 'membership' | 'log'>,
  incidents: readonly T[],
  userId: string,
): Promise<T[]> {
  const seen = await Promise.all(
    incidents.map(async (incident) => {
      if (!incident.private) return true;
      if (!incident.channelId) return false;
      try {
        return await ports.membership.isMember(incident.channelId, userId);
      } catch (err) {
        ports.log.warn(
          { err, incident: incident.number },
          'could not read the members of a private incident channel; the incident is hidden',
        );
        return false;
      }
    }),
  );
  return incidents.filter((_, i) => seen[i]);
}
