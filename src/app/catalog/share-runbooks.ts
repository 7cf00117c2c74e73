/**
 * The Slack side of linked runbooks, after the ack: file runbooks uploaded to the incident channel (their
 * permalink becomes their link), every link added as a channel bookmark, the headline refreshed.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Incident } from '../../domain/incident.js';
import { ChatError } from '../../domain/ports.js';
import { normalizeRunbookUrl } from '../../domain/runbook-url.js';
import { runbookFileComment } from '../../adapters/slack/blocks/runbooks.js';
import type { RunbookLink } from '../../domain/ports.js';
import type { Ports } from '../ports.js';
import { bestEffort, refreshHeadline } from '../../adapters/slack/notices/headline-refresh.js';
import { type RunbookFile, recordLink, runbookFileKey } from './link-runbooks.js';

/**
 * Uploads a runbook file to the channel and records its link. Null when it was shared meanwhile or Slack
 * gave no permalink (the file is in the channel, logged); throws when the file cannot be read or uploaded.
 */
export async function shareRunbookFile(
  deps: Ports,
  incident: Incident,
  file: RunbookFile,
  actor: string,
  at: number,
): Promise<RunbookLink | null> {
  if (!incident.channelId || deps.store.timeline.bySourceKey(incident.number, runbookFileKey(file)))
    return null;
  let content: string;
  try {
    content = await readFile(file.path, 'utf8');
  } catch (e) {
    // The channel hears which runbook is missing, not the host's paths.
    deps.log.warn({ incident: incident.number, path: file.path, err: e }, 'cannot read a runbook file');
    throw new Error(`runbooks/${file.file} cannot be read`);
  }
  const uploaded = await deps.chat.uploadFile({
    channelId: incident.channelId,
    filename: basename(file.file),
    title: file.title,
    content,
    initialComment: runbookFileComment(file.title, file.service),
  });
  if (!uploaded.permalink) {
    deps.log.warn(
      { incident: incident.number, file: file.file },
      'runbook file uploaded without a permalink; not linked',
    );
    return null;
  }
  const url = normalizeRunbookUrl(uploaded.permalink);
  return deps.store.tx(() =>
    recordLink(deps, {
      incidentNumber: incident.number,
      service: file.service,
      title: file.title,
      url,
      actor,
      at,
      sourceKey: runbookFileKey(file),
      meta: { file: file.file, fileId: uploaded.id },
    }),
  );
}

/** Adds each link as a bookmark of the incident channel. A failure is only logged: the runbooks message is enough. */
export async function bookmarkRunbooks(
  deps: Ports,
  incident: Incident,
  links: readonly RunbookLink[],
): Promise<void> {
  if (!incident.channelId) return;
  for (const link of links) {
    try {
      await deps.chat.addBookmark(incident.channelId, link.title, link.url);
    } catch (e) {
      deps.log.warn(
        {
          incident: incident.number,
          url: link.url,
          error: e instanceof ChatError ? e.code : (e as Error).message,
        },
        'could not bookmark a runbook; it is in the runbooks message',
      );
    }
  }
}

/** Steps run around the runbook steps: `before` (the runbooks message), `after` (team notices). */
export interface PublishSteps {
  before?: [string, () => Promise<unknown>][];
  after?: [string, () => Promise<unknown>][];
}

/**
 * Shares new runbooks after the ack: `before` steps, then `files` uploaded, `links` and the uploaded files
 * bookmarked, `after` steps, and the headline refreshed. Failures other than bookmarks are told once in the
 * channel (bestEffort).
 */
export async function publishRunbooks(
  deps: Ports,
  incident: Incident,
  shares: { links: readonly RunbookLink[]; files: readonly RunbookFile[]; actor: string; at: number },
  around: PublishSteps = {},
): Promise<void> {
  const uploaded: RunbookLink[] = [];
  const steps: [string, () => Promise<unknown>][] = [...(around.before ?? [])];
  for (const f of shares.files) {
    steps.push([
      `share the runbook file ${f.file}`,
      async () => {
        const link = await shareRunbookFile(deps, incident, f, shares.actor, shares.at);
        if (link) uploaded.push(link);
      },
    ]);
  }
  steps.push([
    'bookmark the runbooks',
    () => bookmarkRunbooks(deps, incident, [...shares.links, ...uploaded]),
  ]);
  steps.push(...(around.after ?? []));
  steps.push(['update the headline', () => refreshHeadline(deps, incident.number)]);
  await bestEffort(deps, incident, steps);
}
