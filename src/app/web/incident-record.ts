/**
 * One incident as its web page shows it: what the store holds (the postmortem's facts, with the names of the
 * people in it) and the postmortem as Muster writes it now. Null when the incident does not exist or the
 * viewer may not see it: the page answers both alike, so a private incident's number tells nothing.
 */
import type { PostmortemInput } from '../../domain/postmortem.js';
import { mentionedIds, postmortemFacts } from '../postmortem/postmortem-document.js';
import { visibleIncidents } from '../incident/visible-incidents.js';
import type { Ports } from '../ports.js';

export interface IncidentRecord {
  facts: PostmortemInput;
  /** the postmortem's markdown as of now (a draft while the incident is open) */
  postmortem: string;
}

/** Incident `number` as `viewerId` may see it; null when unknown or hidden. Rejects when the store cannot be read. */
export async function incidentRecord(
  ports: Pick<Ports, 'store' | 'membership' | 'log' | 'users' | 'postmortem' | 'clock'>,
  viewerId: string,
  number: number,
): Promise<IncidentRecord | null> {
  const facts = await postmortemFacts(ports.store, number);
  if (!facts) return null;
  if ((await visibleIncidents(ports, [facts.incident], viewerId)).length === 0) return null;
  const names = await ports.users.names(mentionedIds(facts));
  // the facts just read go to the drafting, which would otherwise read the record again (on PostgreSQL)
  const read = await ports.postmortem.read(number, facts);
  if (!read) return null;
  const draft = await ports.postmortem.write(read.key, names, ports.clock.now());
  return { facts: { ...facts, names }, postmortem: draft.markdown };
}
