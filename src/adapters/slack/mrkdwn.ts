/** User text is data: Slack's mrkdwn needs `&`, `<` and `>` escaped so titles cannot ping @channel or fake links. */
export const escapeMrkdwn = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A Slack date token: shown in each reader's own time zone, with a UTC fallback. */
export const slackDate = (ms: number, format = '{date_short_pretty} {time}'): string => {
  const iso = new Date(ms).toISOString().replace('T', ' ').slice(0, 16);
  return `<!date^${Math.floor(ms / 1000)}^${format}|${iso} UTC>`;
};

/**
 * How long ago `ms` was, as a Slack `{ago}` date token: each reader's client keeps it current ("12 minutes
 * ago"), so a message that is not edited again never shows a stale age. The fallback is the age at `now`.
 */
export const slackAgo = (ms: number, now: number): string =>
  `<!date^${Math.floor(ms / 1000)}^{ago}|${formatAge(now - ms)} ago>`;

export const mention = (userId: string): string => `<@${userId}>`;
export const channelLink = (channelId: string): string => `<#${channelId}>`;

/** "2 h 05 min", "12 min", "40 s" */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
