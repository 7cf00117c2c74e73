/**
 * A file runbook shared in the incident channel: the notifier uploads it after the ack (Slack has the file,
 * the core does not), and its permalink becomes its link here, once per file and incident.
 */
import type { RunbookFile, RunbookLink } from '../../domain/ports.js';
import { normalizeRunbookUrl } from '../../domain/runbook-url.js';
import type { Ports } from '../ports.js';
import { recordLink, runbookFileKey } from './link-runbooks.js';

/** Whether this file runbook was already shared in the incident (then it is not uploaded again). */
export async function runbookFileShared(
  ports: Pick<Ports, 'store'>,
  incidentNumber: number,
  file: RunbookFile,
): Promise<boolean> {
  return Boolean(await ports.store.timeline.bySourceKey(incidentNumber, runbookFileKey(file)));
}

/**
 * Records the link of an uploaded runbook file: its permalink, a `runbook_links` row and a 'runbook' timeline
 * entry, in one transaction. Null when it was linked meanwhile; throws DomainError `runbook.bad_url` for a
 * permalink that is no http(s) link.
 */
export async function recordSharedRunbookFile(
  ports: Pick<Ports, 'store'>,
  input: {
    incidentNumber: number;
    file: RunbookFile;
    permalink: string;
    fileId: string;
    by: string;
    at: number;
  },
): Promise<RunbookLink | null> {
  const { file } = input;
  const url = normalizeRunbookUrl(input.permalink);
  return ports.store.tx(async () =>
    recordLink(ports, {
      incidentNumber: input.incidentNumber,
      service: file.service,
      title: file.title,
      url,
      actor: input.by,
      at: input.at,
      sourceKey: runbookFileKey(file),
      meta: { file: file.file, fileId: input.fileId },
    }),
  );
}
