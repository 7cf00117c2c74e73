/**
 * Where an incident is told outside its own channel. A public incident is announced in INCIDENT_ANNOUNCE_CHANNEL
 * and its services' team channels; a private one there too, redacted (PRIVATE_ANNOUNCE=redacted, the default:
 * its severity and commander, nothing of its title, channel, services or updates), or nowhere (`none`).
 */
import type { Incident } from '../../domain/incident.js';
import type { Ports } from '../ports.js';

type AnnounceConfig = Pick<Ports['config'], 'INCIDENT_ANNOUNCE_CHANNEL' | 'PRIVATE_ANNOUNCE'>;

/** Whether anything of the incident may be told outside its channel at all. */
export const toldOutside = (config: AnnounceConfig, incident: Pick<Incident, 'private'>): boolean =>
  !incident.private || config.PRIVATE_ANNOUNCE !== 'none';

/** The announce channel of the incident: INCIDENT_ANNOUNCE_CHANNEL, or null when unset or not told there. */
export const announceChannelOf = (
  config: AnnounceConfig,
  incident: Pick<Incident, 'private'>,
): string | null => (toldOutside(config, incident) && config.INCIDENT_ANNOUNCE_CHANNEL) || null;
