/**
 * Which reactions put a message on the timeline, and the key that makes a message one entry however often
 * it is reacted to or its reaction delivered.
 */

/** `:pushpin::skin-tone-2:` -> `pushpin`: Slack sends skin tones as a suffix of the reaction name. */
export const reactionBaseName = (reaction: string): string =>
  reaction
    .trim()
    .replace(/^:|:$/g, '')
    .replace(/::skin-tone-\d+$/, '')
    .toLowerCase();

/** True when `reaction` (skin tone or not) is one of the configured timeline reactions. */
export const isTimelineReaction = (reaction: string, timelineEmoji: readonly string[]): boolean => {
  const base = reactionBaseName(reaction);
  return base !== '' && timelineEmoji.some((e) => reactionBaseName(e) === base);
};

/** The source key of a Slack message's entry: the same message always maps to the same key. */
export const messageSourceKey = (channelId: string, ts: string): string => `message:${channelId}:${ts}`;

/** A Slack `ts` as written in permalinks: `1700000000.000100` -> `p1700000000000100`. */
export const permalinkTsPart = (ts: string): string => `p${ts.replace('.', '')}`;

/** True for a well-formed Slack message ts (`1700000000.000100`). */
export const isSlackTs = (ts: unknown): ts is string =>
  typeof ts === 'string' && /^\d{1,12}\.\d{1,6}$/.test(ts);
