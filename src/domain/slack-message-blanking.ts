/**
 * Deleted means deleted, for the stored deliveries: the rule every inbox store (SQLite, in memory) applies.
 * Blanks one Slack message inside a stored Events API body. A message's words travel in several shapes: the
 * message event itself, the `message` and `previous_message` of a `message_changed`, the `previous_message`
 * of a `message_deleted`. Every object in the body whose `ts` is the message's (in its channel) loses its
 * text, blocks, attachments and files; ids, authors and times stay, so the stored event still says what
 * happened.
 */

/** The fields of a Slack message object that hold what was said (rich text blocks, unfurls, file names). */
const CONTENT_FIELDS = ['blocks', 'attachments', 'files'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function blankIn(value: unknown, channelId: string, ts: string, channelOfParent: unknown): boolean {
  if (Array.isArray(value)) {
    let changed = false;
    for (const v of value) if (blankIn(v, channelId, ts, channelOfParent)) changed = true;
    return changed;
  }
  if (!isObject(value)) return false;
  const channel = typeof value.channel === 'string' ? value.channel : channelOfParent;
  let changed = false;
  if (value.ts === ts && channel === channelId) {
    if (typeof value.text === 'string' && value.text !== '') {
      value.text = '';
      changed = true;
    }
    for (const f of CONTENT_FIELDS) {
      if (f in value) {
        delete value[f];
        changed = true;
      }
    }
  }
  for (const v of Object.values(value)) if (blankIn(v, channelId, ts, channel)) changed = true;
  return changed;
}

/**
 * Blanks the message `ts` of `channelId` wherever it appears in `body` (a stored envelope, as JSON text).
 * Returns the new JSON, or null when the body held nothing of it (or is not JSON).
 */
export function blankSlackMessage(body: string, channelId: string, ts: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  return blankIn(parsed, channelId, ts, undefined) ? JSON.stringify(parsed) : null;
}
