/**
 * Shares a stored postmortem draft in its incident's channel: uploaded as a markdown file (Slack's
 * three-step upload flow) with a short summary, its permalink stored for the headline. A failed upload is
 * retried as a whole; after the last try the draft is given up and the channel is told how to export it
 * instead. All of it runs while this instance holds the draft's lease (app/postmortem/share-draft.ts), so
 * another instance neither shares it at the same time nor again, and shares it should this one die first.
 */
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import type { Ports } from '../../../app/ports.js';
import { holdingUpload } from '../../../app/postmortem/share-draft.js';
import { type Incident, incidentWebUrl } from '../../../domain/incident.js';
import type { PostmortemRecord, SharedDraft, UploadedFile } from '../../../domain/ports.js';
import { postmortemFileTitle, postmortemSummary, uploadFailedMessage } from '../blocks/postmortem.js';
import { refreshHeadline } from './headline-refresh.js';

/** Attempts of the upload flow beyond the Web API client's own retries. */
const UPLOAD_ATTEMPTS = 3;

/**
 * Uploads the draft and refreshes the headline, when this instance holds the draft; never throws on Slack's
 * account (the draft is stored whatever Slack does).
 */
export async function uploadPostmortem(
  ports: Ports,
  incident: Incident,
  p: PostmortemRecord,
  draft: SharedDraft,
): Promise<void> {
  const channelId = incident.channelId;
  if (!channelId) return;
  const uploaded = await holdingUpload(ports, p, () => upload(ports, channelId, incident, p, draft));
  if (!uploaded) return;
  await refreshHeadline(ports, incident.number).catch((err) =>
    ports.log.warn({ err }, 'headline refresh failed'),
  );
}

/** The upload flow and its retries; records the outcome (uploaded, or given up) and says whether it was uploaded. */
async function upload(
  ports: Ports,
  channelId: string,
  incident: Incident,
  p: PostmortemRecord,
  draft: SharedDraft,
): Promise<boolean> {
  const policy = retry(handleAll, {
    maxAttempts: UPLOAD_ATTEMPTS - 1,
    backoff: new ExponentialBackoff({
      initialDelay: ports.tuning?.uploadBackoffMs ?? 2000,
      maxDelay: 30_000,
    }),
  });
  let file: UploadedFile;
  try {
    file = await policy.execute(() =>
      ports.chat.uploadFile({
        channelId,
        filename: p.filename,
        title: postmortemFileTitle(p),
        content: draft.markdown,
        initialComment: postmortemSummary(
          incident,
          p,
          draft,
          incidentWebUrl(ports.config.WEB_BASE_URL, incident.number),
        ),
      }),
    );
  } catch (e) {
    ports.log.error({ incident: incident.number, err: e }, 'postmortem upload failed after retries');
    // given up before the channel hears it: should this instance die in between, no other tries again
    await ports.store.postmortems.markGivenUp(p.id, ports.clock.now());
    await ports.chat
      .post(channelId, { text: uploadFailedMessage(p) })
      .catch((err) => ports.log.warn({ err }, 'could not tell the channel about the failed upload'));
    return false;
  }
  await ports.store.postmortems.markUploaded(p.id, file.id, file.permalink, ports.clock.now());
  return true;
}
