/**
 * Slack's mrkdwn, written once: `&`, `<` and `>` in text are sent as `&amp;`, `&lt;` and `&gt;` (so a raw `<`
 * always starts markup). Two kinds of text reach a message: plain text (catalog names, PagerDuty answers,
 * text decoded from Slack), escaped with `escapeMrkdwn`, and text people typed in Slack, which arrives escaped
 * already and is shown with `slackText`, never escaped a second time.
 */
import { formatDuration } from '../../domain/duration.js';
import { slackToPlain } from '../render/slack-text.js';

/** Plain text as mrkdwn: `&`, `<` and `>` escaped, so it cannot ping @channel or fake links. */
export const escapeMrkdwn = (text: string): string =>
  text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));

/** Escapes what is not escaped yet: a `&` that starts no entity, a lone `<` or `>`. */
const escapeStray = (text: string): string =>
  text.replace(/[<>]|&(?!(?:amp|lt|gt);)/g, (c) => escapeMrkdwn(c));

/**
 * Broadcast mentions, which notify a whole channel or a user group: `<!channel>`, `<!here>`, `<!everyone>`,
 * their old alias `<!group>`, and `<!subteam^S123>`, each also in the labelled form (`<!here|here>`,
 * `<!subteam^S123|@oncall>`).
 */
const BROADCASTS = new Set(['channel', 'here', 'everyone', 'group', 'subteam']);

/** What a defused broadcast shows: its label or name, with a word joiner after `@` so no client links it. */
function defused(inner: string): string {
  const bar = inner.indexOf('|');
  const head = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? '' : inner.slice(bar + 1);
  const [what = '', arg = ''] = head.slice(1).split('^');
  const shown = label || (what === 'subteam' ? arg : what);
  return `@\u2060${shown.replace(/^@/, '')}`;
}

/** One `<...>` span of Slack text as it may be shown again; anything that is not Slack's own markup is escaped. */
function markupSpan(whole: string, inner: string): string {
  const head = inner.split('|', 1)[0]!;
  if (head.startsWith('!')) {
    const what = head.slice(1).split('^', 1)[0]!;
    if (what === 'date') return whole;
    // a broadcast, or a special mention Slack may add later: shown, never sent as markup
    return BROADCASTS.has(what) || /^[a-z_]+$/.test(what) ? escapeStray(defused(inner)) : escapeStray(whole);
  }
  if (/^[@#][A-Z0-9]+$/.test(head)) return whole;
  if (/^(?:https?|mailto):/i.test(head)) return whole;
  return escapeStray(whole);
}

/**
 * Text people typed in Slack (a command's text, a title, an update), shown in mrkdwn: people, channels, dates
 * and links stay, broadcasts (@channel, @here, @everyone, user groups) are defused, and whatever is not Slack
 * markup is escaped (a `<` or `&` of text stored unescaped), so the text is escaped exactly once.
 */
export const slackText = (text: string): string =>
  text.replace(/<([^<>]*)>|[<>]|&(?!(?:amp|lt|gt);)/g, (m, inner: string | undefined) =>
    inner === undefined ? escapeMrkdwn(m) : markupSpan(m, inner),
  );

/** Text people typed in Slack, for a plain_text field (which Slack shows as is): markup read, entities decoded. */
export const slackPlain = (text: string): string => slackToPlain(text, {});

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
  `<!date^${Math.floor(ms / 1000)}^{ago}|${formatDuration(now - ms)} ago>`;

/**
 * A time before or after `now` as a live Slack `{ago}` token ("in 12 minutes", "3 minutes ago"), kept
 * current by each reader's client; the fallback is worded at `now`.
 */
export const slackRelative = (ms: number, now: number): string =>
  `<!date^${Math.floor(ms / 1000)}^{ago}|${ms > now ? `in ${formatDuration(ms - now)}` : `${formatDuration(now - ms)} ago`}>`;

export const mention = (userId: string): string => `<@${userId}>`;

/** A person recorded by their Slack user id (`U…`, `W…`) as a mention, or by a name (from PagerDuty) as text. */
export const personText = (idOrName: string): string =>
  /^[UW][A-Z0-9]{2,}$/.test(idOrName) ? mention(idOrName) : escapeMrkdwn(idOrName);
export const channelLink = (channelId: string): string => `<#${channelId}>`;
