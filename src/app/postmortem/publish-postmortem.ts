/**
 * `/incident postmortem`: writes the draft from the record and stores it as a new version (with a timeline
 * entry), held by this instance's lease on sharing it (share-draft.ts) and with the figures its summary reports;
 * the `postmortem_written` notice then shares it (the Slack notifier uploads it to the channel with a short
 * summary and shows it on the headline). Nothing here blocks resolving: it all runs after the ack.
 */
import { incidentRef } from '../../domain/incident.js';
import type { Notice } from '../../domain/notices.js';
import type { BlamelessFinding, PostmortemRecord } from '../../domain/ports.js';
import type { HeadlineExtras } from '../incident/hooks.js';
import type { Ports } from '../ports.js';
import { figuresOf, UPLOAD_LEASE_MS } from './share-draft.js';

export interface WrittenPostmortem {
  postmortem: PostmortemRecord;
  /** sentences the blameless review suggests rewording (for the person who asked) */
  findings: BlamelessFinding[];
  notices: Notice[];
}

/** The headline links the newest draft that reached Slack. */
export const postmortemHeadline: HeadlineExtras = async (incidentNumber, ports) => {
  const latest = await ports.store.postmortems.latestUploaded(incidentNumber);
  return latest ? { postmortem: { permalink: latest.permalink, version: latest.version } } : {};
};

/**
 * Writes, stores and returns a new draft version of the incident's postmortem. Rejects when the incident has
 * no channel (nowhere to share it), when a name lookup fails, or when the draft cannot be written.
 */
export async function publishPostmortem(
  ports: Pick<Ports, 'instanceId' | 'store' | 'clock' | 'users' | 'postmortem'>,
  number: number,
  requestedBy: string,
): Promise<WrittenPostmortem> {
  const { store, postmortem: drafting } = ports;
  // Read, rendered and checked off the event loop (reading 10,000 entries alone takes longer than a request
  // may wait); only the names, which may need Slack, are looked up here in between.
  const read = await drafting.read(number);
  if (!read?.incident.channelId) {
    if (read) drafting.forget(read.key);
    throw new Error(`incident ${number} has no channel`);
  }
  const incident = read.incident;
  const names = await ports.users.names(read.ids).catch((e: unknown) => {
    drafting.forget(read.key);
    throw e;
  });
  const now = ports.clock.now();
  const draft = await drafting.write(read.key, names, now);
  const ref = incidentRef(number);
  const figures = figuresOf(draft);
  const row = await store.tx(async () => {
    const r = await store.postmortems.add({
      incidentNumber: number,
      filename: (v) => `postmortem-${ref}-v${v}.md`,
      content: draft.markdown,
      requestedBy,
      createdAt: now,
      // this instance shares it next; should it die first, another does once this lapses
      upload: {
        lease: { owner: ports.instanceId, until: ports.clock.now() + UPLOAD_LEASE_MS },
        figures,
      },
    });
    await store.timeline.add(
      {
        incidentNumber: number,
        kind: 'postmortem',
        text: `Postmortem draft v${r.version} written`,
        actor: requestedBy,
        occurredAt: now,
        sourceKey: `postmortem:v${r.version}`,
        meta: { version: r.version },
      },
      now,
    );
    return r;
  });
  return {
    postmortem: row,
    findings: draft.findings,
    notices: [
      {
        kind: 'postmortem_written',
        incident,
        postmortem: row,
        draft: { markdown: draft.markdown, ...figures },
        by: requestedBy,
      },
    ],
  };
}
