/**
 * What the postmortem's Impact section starts from: the latest status update that described the impact
 * (who or what was affected, errors, failures, latency, an outage), so the author edits words the
 * responders already wrote instead of facing a blank prompt.
 */
import type { TimelineEntry } from './timeline.js';

/**
 * Words that describe impact in an update. Whole-word prefixes, any case: `customer` matches `customers`;
 * `5xx`, `50x`, a status code such as `502` or `500s`, and a percentage count too.
 */
const IMPACT_WORDS =
  /(?<![\p{L}\p{N}])(?:impact|affect|customer|user|client|merchant|request|order|payment|checkout|login|sign-?in|fail|error|outage|down(?:time)?|degrad|unavailab|slow|latenc|timeout|timing out|broken|cannot|can't|unable|lost|loss|drop|5xx|50x|[45]\d\ds?(?![\p{L}\p{N}])|\d+(?:\.\d+)?\s?%)/iu;

/** Whether a text (Slack-formatted) says something about impact. */
export const describesImpact = (text: string): boolean => IMPACT_WORDS.test(text);

/** The latest update (neither taken off the timeline, deleted nor redacted) that describes impact; null when none does. */
export function impactUpdate(timeline: readonly TimelineEntry[]): TimelineEntry | null {
  let latest: TimelineEntry | null = null;
  for (const e of timeline) {
    if (e.kind !== 'update' || e.state !== 'active' || e.redactedAt !== null) continue;
    if (!describesImpact(e.text)) continue;
    if (
      !latest ||
      e.occurredAt > latest.occurredAt ||
      (e.occurredAt === latest.occurredAt && e.id > latest.id)
    )
      latest = e;
  }
  return latest;
}
