/**
 * The Slack presentation of the catalog notices: Block Kit and mrkdwn live here, never in the use cases.
 * Services attached: the runbooks message, the file runbooks uploaded (their permalink becomes their link),
 * every link bookmarked, each owning team's channel told, the headline refreshed. Runbooks linked: the same
 * without the message and the teams (the command's answer showed the links).
 */
import { redactedPrivateNotice } from '../blocks/private-incident.js';
import { recordSharedRunbookFile, runbookFileShared } from '../../../app/catalog/share-runbooks.js';
import type { Ports } from '../../../app/ports.js';
import type { Incident } from '../../../domain/incident.js';
import type { CatalogNotice } from '../../../domain/notices.js';
import { ChatError, type ChatMessage, type RunbookFile, type RunbookLink } from '../../../domain/ports.js';
import { basename } from 'node:path';
import {
  declaredRunbooksMessage,
  type RunbookLine,
  runbookFileComment,
  teamNotice,
} from '../blocks/runbooks.js';
import { bestEffort, refreshHeadline } from './headline-refresh.js';
import type { NoticeHandlers } from './notice-handlers.js';

type Step = [string, () => Promise<unknown>];
/** What both notices share: the incident, the links to bookmark, the files to upload, by whom and when. */
type Shares = Pick<
  Extract<CatalogNotice, { kind: 'runbooks_linked' }>,
  'incident' | 'links' | 'files' | 'by' | 'at'
>;

export const catalogNotices: NoticeHandlers<CatalogNotice> = {
  async services_attached(notice, ports) {
    const { incident } = notice;
    const channelId = incident.channelId;
    if (!channelId) return;
    const runbooks: RunbookLine[] = [
      ...notice.links.map((l) => ({ title: l.title, url: l.url, service: l.service })),
      ...notice.files.map((f) => ({ title: f.title, url: null, service: f.service })),
    ];
    const withRunbooks = new Set(runbooks.map((r) => r.service));
    const message = declaredRunbooksMessage({
      services: notice.services,
      runbooks,
      withoutRunbooks: notice.services.filter(({ name }) => !withRunbooks.has(name)).map(({ name }) => name),
    });
    await shareRunbooks(ports, notice, {
      before: [['post the runbooks', () => ports.chat.post(channelId, message)]],
      after: notice.teams.map(({ channel, owner, services }) => [
        `tell the ${owner} channel`,
        () =>
          postInTeamChannel(
            ports,
            channel,
            // a private incident's team channels hear only that one exists, and whom to ask
            incident.private
              ? redactedPrivateNotice(incident, notice.commander)
              : teamNotice(incident, services, notice.commander),
          ),
      ]),
    });
  },

  async runbooks_linked(notice, ports) {
    await shareRunbooks(ports, notice);
  },
};

/**
 * `before` steps, then the files uploaded, the links and the uploaded files bookmarked, `after` steps, and the
 * headline refreshed. Failures other than bookmarks are told once in the channel (bestEffort).
 */
async function shareRunbooks(
  ports: Ports,
  shares: Shares,
  around: { before?: Step[]; after?: Step[] } = {},
): Promise<void> {
  const { incident } = shares;
  const uploaded: RunbookLink[] = [];
  const steps: Step[] = [...(around.before ?? [])];
  for (const f of shares.files) {
    steps.push([
      `share the runbook file ${f.file}`,
      async () => {
        const link = await shareRunbookFile(ports, incident, f, shares.by, shares.at);
        if (link) uploaded.push(link);
      },
    ]);
  }
  steps.push([
    'bookmark the runbooks',
    () => bookmarkRunbooks(ports, incident, [...shares.links, ...uploaded]),
  ]);
  steps.push(...(around.after ?? []));
  steps.push(['update the headline', () => refreshHeadline(ports, incident.number)]);
  await bestEffort(ports, incident, steps);
}

/**
 * Uploads a runbook file to the channel and records its link. Null when it was shared meanwhile or Slack
 * gave no permalink (the file is in the channel, logged); throws when the file cannot be read or uploaded.
 */
async function shareRunbookFile(
  ports: Ports,
  incident: Incident,
  file: RunbookFile,
  by: string,
  at: number,
): Promise<RunbookLink | null> {
  if (!incident.channelId || (await runbookFileShared(ports, incident.number, file))) return null;
  let content: string;
  try {
    content = await ports.catalog.readRunbook(file);
  } catch (e) {
    // The channel hears which runbook is missing, not the host's paths.
    ports.log.warn({ incident: incident.number, path: file.path, err: e }, 'cannot read a runbook file');
    throw new Error(`runbooks/${file.file} cannot be read`);
  }
  const uploaded = await ports.chat.uploadFile({
    channelId: incident.channelId,
    filename: basename(file.file),
    title: file.title,
    content,
    initialComment: runbookFileComment(file.title, file.service),
  });
  if (!uploaded.permalink) {
    ports.log.warn(
      { incident: incident.number, file: file.file },
      'runbook file uploaded without a permalink; not linked',
    );
    return null;
  }
  return recordSharedRunbookFile(ports, {
    incidentNumber: incident.number,
    file,
    permalink: uploaded.permalink,
    fileId: uploaded.id,
    by,
    at,
  });
}

/** Adds each link as a bookmark of the incident channel. A failure is only logged: the runbooks message is enough. */
async function bookmarkRunbooks(
  ports: Ports,
  incident: Incident,
  links: readonly RunbookLink[],
): Promise<void> {
  if (!incident.channelId) return;
  for (const link of links) {
    try {
      await ports.chat.addBookmark(incident.channelId, link.title, link.url);
    } catch (e) {
      ports.log.warn(
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

/** Posts in a team channel, joining it first when the bot is not a member (public channels; private ones refuse). */
async function postInTeamChannel(ports: Ports, channelId: string, message: ChatMessage): Promise<void> {
  try {
    await ports.chat.post(channelId, message);
  } catch (e) {
    if (!(e instanceof ChatError && e.code === 'not_in_channel')) throw e;
    await ports.chat.join(channelId);
    await ports.chat.post(channelId, message);
  }
}
