/**
 * `/incident postmortem`: renders the draft, stores it as a new version (with a timeline entry), uploads it
 * to the channel as a markdown file with a short summary, and shows it on the headline. A failed upload is
 * retried; after the last try the channel is told how to export the draft instead. Nothing here blocks
 * resolving: it all runs after the ack.
 */
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import { incidentRef, severityLabel } from '../../domain/incident.js';
import type { BlamelessFinding } from '../../adapters/render/blameless-check.js';
import { escapeMrkdwn, slackText } from '../../adapters/slack/mrkdwn.js';
import { fitPlain } from '../../adapters/slack/text-fit.js';
import type { Ports } from '../ports.js';
import { refreshHeadline } from '../../adapters/slack/notices/headline-refresh.js';
import type { HeadlineExtras } from '../incident/hooks.js';
import { postmortemFacts } from './postmortem-document.js';
import type { DraftSource } from './postmortem-draft.js';

/** The database file when the worker can open it; an in-memory database is read here and its facts sent. */
function draftSource(deps: Ports, number: number): DraftSource {
  const file = deps.config.DATABASE_URL.replace(/^sqlite:(\/\/)?/, '');
  if (file !== ':memory:') return { databaseFile: file, incidentNumber: number };
  const facts = postmortemFacts(deps.store, number);
  if (!facts) throw new Error(`incident ${number} does not exist`);
  return { facts };
}

export interface PublishedPostmortem {
  version: number;
  permalink: string | null;
  uploaded: boolean;
  findings: BlamelessFinding[];
}

/** Attempts of the upload flow beyond the Web API client's own retries. */
const UPLOAD_ATTEMPTS = 3;

export const postmortemHeadline: HeadlineExtras = (incidentNumber, deps) => {
  const latest = deps.store.postmortems.latestUploaded(incidentNumber);
  return latest ? { postmortem: { permalink: latest.permalink, version: latest.version } } : {};
};

/** Renders, stores, uploads and announces a new draft version of the incident's postmortem. */
export async function publishPostmortem(
  deps: Ports,
  number: number,
  requestedBy: string,
): Promise<PublishedPostmortem> {
  // Read, rendered and checked on the render worker (reading 10,000 entries alone takes longer than a
  // request may wait); only the names, which may need Slack, are looked up here in between.
  const worker = deps.postmortem.worker;
  const read = await worker.read(draftSource(deps, number));
  if (!read?.incident.channelId) {
    if (read) worker.forget(read.key);
    throw new Error(`incident ${number} has no channel`);
  }
  const incident = read.incident;
  const channelId = incident.channelId!;
  const names = await deps.users.names(read.ids).catch((e: unknown) => {
    worker.forget(read.key);
    throw e;
  });
  const now = deps.clock.now();
  const rendered = await worker.write(read.key, { names, timeZone: deps.config.INCIDENT_TIMEZONE, now });
  const ref = incidentRef(number);
  const row = deps.store.tx(() => {
    const r = deps.store.postmortems.add({
      incidentNumber: number,
      filename: (v) => `postmortem-${ref}-v${v}.md`,
      content: rendered.markdown,
      requestedBy,
      createdAt: now,
    });
    deps.store.timeline.add(
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
  const summary =
    `:memo: Postmortem draft v${row.version} for *${escapeMrkdwn(ref)}: ${slackText(incident.title)}*` +
    `${rendered.draft ? ' (draft: the incident is not resolved)' : ''}\n` +
    `${severityLabel(incident.severity)} · ${rendered.durationText}` +
    ` · ${rendered.timelineCount} timeline entries · ${rendered.actionCount} action items.` +
    ' Fill in impact, root cause and lessons, then share it.';
  const policy = retry(handleAll, {
    maxAttempts: UPLOAD_ATTEMPTS - 1,
    backoff: new ExponentialBackoff({ initialDelay: deps.tuning?.uploadBackoffMs ?? 2000, maxDelay: 30_000 }),
  });
  let permalink: string | null = null;
  let uploaded = false;
  try {
    const file = await policy.execute(() =>
      deps.chat.uploadFile({
        channelId,
        filename: row.filename,
        title: `Postmortem ${ref} (draft v${row.version})`,
        content: rendered.markdown,
        initialComment: summary,
      }),
    );
    deps.store.postmortems.markUploaded(row.id, file.id, file.permalink, deps.clock.now());
    permalink = file.permalink;
    uploaded = true;
  } catch (e) {
    deps.log.error({ incident: number, err: e }, 'postmortem upload failed after retries');
    await deps.chat
      .post(channelId, {
        text: `:warning: Postmortem draft v${row.version} is saved, but uploading it to Slack failed. Export it with \`npm run muster -- export ${ref}\`, or run \`/incident postmortem\` again later.`,
      })
      .catch((err) => deps.log.warn({ err }, 'could not tell the channel about the failed upload'));
  }
  if (uploaded)
    await refreshHeadline(deps, number).catch((err) => deps.log.warn({ err }, 'headline refresh failed'));
  return { version: row.version, permalink, uploaded, findings: rendered.findings };
}

/** The blameless suggestions as an ephemeral message: gentle, with the sentence, nothing changed. */
export function blamelessMessage(findings: BlamelessFinding[]): string | null {
  if (findings.length === 0) return null;
  const shown = findings
    .slice(0, 10)
    .map(
      (f) => `• _"${escapeMrkdwn(fitPlain(f.sentence, 300))}"_ (${f.section}): ${escapeMrkdwn(f.suggestion)}`,
    );
  return [
    `:seedling: A blameless review found ${findings.length} sentence${findings.length === 1 ? '' : 's'} you may want to reword. Nothing was changed:`,
    ...shown,
    ...(findings.length > 10 ? [`…and ${findings.length - 10} more.`] : []),
  ].join('\n');
}
