/**
 * Which incidents a person may see listed: every public one, and a private one only when they are a member of
 * its channel. A private incident without a channel yet, or whose membership the chat cannot tell, is hidden
 * (fail closed) and the failure logged. The listing views (`/incident list`, and later others) all ask here.
 */
import type { Incident } from '../../domain/incident.js';
import type { Ports } from '../ports.js';

/** `incidents` as `userId` may see them, in the same order. */
export async function visibleIncidents(
  ports: Pick<Ports, 'membership' | 'log'>,
  incidents: readonly Incident[],
  userId: string,
): Promise<Incident[]> {
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
