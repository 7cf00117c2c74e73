/**
 * Shares a stored postmortem draft in its incident's channel: uploaded as a markdown file (Slack's
 * three-step upload flow) with a short summary, its permalink stored for the headline. A failed upload is
 * retried as a whole; after the last try the channel is told how to export the draft instead.
 */
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import type { Ports } from '../../../app/ports.js';
import type { Incident } from '../../../domain/incident.js';
import type { PostmortemDraft, PostmortemRecord } from '../../../domain/ports.js';
import { postmortemFileTitle, postmortemSummary, uploadFailedMessage } from '../blocks/postmortem.js';
import { refreshHeadline } from './headline-refresh.js';

/** Attempts of the upload flow beyond the Web API client's own retries. */
const UPLOAD_ATTEMPTS = 3;

/** Uploads the draft and refreshes the headline; never throws (the draft is stored whatever Slack does). */
export async function uploadPostmortem(
  ports: Ports,
  incident: Incident,
  p: PostmortemRecord,
  draft: PostmortemDraft,
): Promise<void> {
  const channelId = incident.channelId;
  if (!channelId) return;
  const policy = retry(handleAll, {
    maxAttempts: UPLOAD_ATTEMPTS - 1,
    backoff: new ExponentialBackoff({
      initialDelay: ports.tuning?.uploadBackoffMs ?? 2000,
      maxDelay: 30_000,
    }),
  });
  try {
    const file = await policy.execute(() =>
      ports.chat.uploadFile({
        channelId,
        filename: p.filename,
        title: postmortemFileTitle(p),
        content: draft.markdown,
        initialComment: postmortemSummary(incident, p, draft),
      }),
    );
    await ports.store.postmortems.markUploaded(p.id, file.id, file.permalink, ports.clock.now());
  } catch (e) {
    ports.log.error({ incident: incident.number, err: e }, 'postmortem upload failed after retries');
    await ports.chat
      .post(channelId, { text: uploadFailedMessage(p) })
      .catch((err) => ports.log.warn({ err }, 'could not tell the channel about the failed upload'));
    return;
  }
  await refreshHeadline(ports, incident.number).catch((err) =>
    ports.log.warn({ err }, 'headline refresh failed'),
  );
}
