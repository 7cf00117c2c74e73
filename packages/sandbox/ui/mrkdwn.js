/**
 * Slack's mrkdwn, parsed into a small tree the page turns into DOM nodes (never HTML strings): *bold*,
 * _italic_, ~strike~, `code`, ```preformatted```, > quotes, <links|label>, <@U…> mentions, <#C…> channels,
 * <!here>, <!date^…> and :emoji: shortcodes. Pure: no DOM, so Node tests import it too.
 *
 * Node shapes: { t: 'text', text } | { t: 'b' | 'i' | 's' | 'quote', children } | { t: 'code' | 'pre', text }
 * | { t: 'link', url, children } | { t: 'user', id, label } | { t: 'channel', id, label }
 * | { t: 'special', name, label } | { t: 'date', seconds, format, fallback } | { t: 'emoji', name, char } | { t: 'br' }
 */

import { EMOJI } from './emoji.js';

/** Slack sends `&`, `<` and `>` escaped in text. */
export const unescapeEntities = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const SPECIAL_LABELS = { here: '@here', channel: '@channel', everyone: '@everyone' };

/** One `<…>` token. */
function angle(inner) {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? null : unescapeEntities(inner.slice(bar + 1));
  if (target.startsWith('@')) return { t: 'user', id: target.slice(1), label };
  if (target.startsWith('#')) return { t: 'channel', id: target.slice(1), label };
  if (target.startsWith('!date^')) {
    const [, seconds, format] = target.split('^');
    return {
      t: 'date',
      seconds: Number(seconds),
      format: format ?? '{date_short_pretty} {time}',
      fallback: label ?? '',
    };
  }
  if (target.startsWith('!subteam^')) return { t: 'special', name: 'subteam', label: label ?? '@team' };
  if (target.startsWith('!')) {
    const name = target.slice(1);
    return { t: 'special', name, label: label ?? SPECIAL_LABELS[name] ?? `@${name}` };
  }
  const url = unescapeEntities(target);
  return { t: 'link', url, children: label === null ? [{ t: 'text', text: url }] : inline(label, false) };
}

/** Text with :emoji: shortcodes (and nothing else) as nodes. */
function emojiText(text, out) {
  const re = /:([a-z0-9_+'-]+):/g;
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const char = EMOJI[m[1]];
    if (!char) continue;
    if (m.index > last) out.push({ t: 'text', text: text.slice(last, m.index) });
    out.push({ t: 'emoji', name: m[1], char });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ t: 'text', text: text.slice(last) });
}

/** Slack's emphasis: markers at word edges, not touching spaces on the inside. */
const STYLES = [
  { t: 'b', re: /(^|[^\p{L}\p{N}*])\*(?=\S)([^*\n]*?\S|\S)\*(?![\p{L}\p{N}*])/u },
  { t: 'i', re: /(^|[^\p{L}\p{N}_])_(?=\S)([^_\n]*?\S|\S)_(?![\p{L}\p{N}_])/u },
  { t: 's', re: /(^|[^\p{L}\p{N}~])~(?=\S)([^~\n]*?\S|\S)~(?![\p{L}\p{N}~])/u },
];

/** Plain text (already without links or code) with emphasis and emoji. */
function styled(text, out) {
  let rest = text;
  while (rest.length > 0) {
    let best = null;
    for (const style of STYLES) {
      const m = style.re.exec(rest);
      if (m && (best === null || m.index + m[1].length < best.start)) {
        best = { style, start: m.index + m[1].length, end: m.index + m[0].length, inner: m[2] };
      }
    }
    if (!best) {
      emojiText(unescapeEntities(rest), out);
      return;
    }
    if (best.start > 0) emojiText(unescapeEntities(rest.slice(0, best.start)), out);
    const children = [];
    styled(best.inner, children);
    out.push({ t: best.style.t, children });
    rest = rest.slice(best.end);
  }
}

/** One line or span: `<…>` tokens and `code` first, since nothing inside them is formatted. */
function inline(text, allowCode = true) {
  const out = [];
  const re = allowCode ? /<([^<>\s][^<>]*)>|`([^`\n]+)`/g : /<([^<>\s][^<>]*)>/g;
  let last = 0;
  let plain = '';
  const flush = () => {
    if (plain) styled(plain, out);
    plain = '';
  };
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    plain += text.slice(last, m.index);
    flush();
    out.push(m[1] !== undefined ? angle(m[1]) : { t: 'code', text: unescapeEntities(m[2]) });
    last = m.index + m[0].length;
  }
  plain += text.slice(last);
  flush();
  return out;
}

/**
 * A quote marker at the start of a line, as Slack reads it: `>` as an app sends it, or `&gt;` as Slack itself
 * carries typed text; `>>>` quotes the rest of the message.
 */
const QUOTE_LINE = /^(?:>|&gt;)[ \t]?(.*)$/;
const QUOTE_REST = /^(?:>|&gt;){3}[ \t]?/;

/** Lines of text: quoted lines grouped into one quote (never nested, as in Slack), the others joined with breaks. */
function lines(text, out, quotes = true) {
  const all = text.split('\n');
  for (let i = 0; i < all.length; i += 1) {
    const line = all[i];
    if (quotes && QUOTE_REST.test(line)) {
      const children = [];
      lines([line.replace(QUOTE_REST, ''), ...all.slice(i + 1)].join('\n'), children, false);
      out.push({ t: 'quote', children });
      return;
    }
    const quote = quotes ? QUOTE_LINE.exec(line) : null;
    if (quote) {
      const quoted = [quote[1]];
      while (i + 1 < all.length && QUOTE_LINE.test(all[i + 1]) && !QUOTE_REST.test(all[i + 1])) {
        i += 1;
        quoted.push(QUOTE_LINE.exec(all[i])[1]);
      }
      const children = [];
      lines(quoted.join('\n'), children, false);
      out.push({ t: 'quote', children });
      continue;
    }
    if (i > 0 && out.length > 0 && out[out.length - 1].t !== 'quote') out.push({ t: 'br' });
    out.push(...inline(line));
  }
}

/** Parses Slack mrkdwn text into nodes. */
export function parseMrkdwn(text) {
  const out = [];
  const parts = String(text ?? '').split('```');
  parts.forEach((part, i) => {
    const fenced = i % 2 === 1;
    // an unclosed fence is plain text, as in Slack
    if (fenced && i < parts.length - 1) {
      out.push({ t: 'pre', text: unescapeEntities(part.replace(/^\n/, '').replace(/\n$/, '')) });
      return;
    }
    // the line breaks around a preformatted block belong to the block
    let plain = fenced ? `\`\`\`${part}` : part;
    if (i > 0 && !fenced) plain = plain.replace(/^\n/, '');
    if (i < parts.length - 1 && !fenced) plain = plain.replace(/\n$/, '');
    if (plain) lines(plain, out);
  });
  return out;
}

/** Plain text (`plain_text` objects): only emoji are turned into pictures. */
export function parsePlain(text, emoji = true) {
  const out = [];
  if (emoji) emojiText(String(text ?? ''), out);
  else out.push({ t: 'text', text: String(text ?? '') });
  return out;
}

const pad = (n) => String(n).padStart(2, '0');

/** Renders a `<!date^seconds^format>` token in the reader's time zone (`locale` and `timeZone` for tests). */
export function formatSlackDate(seconds, format, opts = {}) {
  if (!Number.isFinite(seconds)) return '';
  const date = new Date(seconds * 1000);
  const locale = opts.locale ?? 'en-US';
  const zone = opts.timeZone ? { timeZone: opts.timeZone } : {};
  const part = (o) => new Intl.DateTimeFormat(locale, { ...zone, ...o }).format(date);
  const parts = new Intl.DateTimeFormat('en-US', {
    ...zone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date);
  const clockPart = Object.fromEntries(parts.map((p) => [p.type, p.value]));
  const now = opts.now ?? Date.now();
  const dayFormat = new Intl.DateTimeFormat('en-CA', {
    ...zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const dayOf = (ms) => dayFormat.format(new Date(ms));
  const day = dayOf(seconds * 1000);
  const pretty = (fallback) =>
    day === dayOf(now)
      ? 'Today'
      : day === dayOf(now - 86_400_000)
        ? 'Yesterday'
        : day === dayOf(now + 86_400_000)
          ? 'Tomorrow'
          : fallback;
  const tokens = {
    date_num: () => day,
    date: () => part({ month: 'long', day: 'numeric', year: 'numeric' }),
    date_short: () => part({ month: 'short', day: 'numeric', year: 'numeric' }),
    date_long: () => part({ weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }),
    date_pretty: () => pretty(part({ month: 'long', day: 'numeric', year: 'numeric' })),
    date_short_pretty: () => pretty(part({ month: 'short', day: 'numeric', year: 'numeric' })),
    date_long_pretty: () => pretty(part({ weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' })),
    time: () => `${pad(Number(clockPart.hour) % 24)}:${clockPart.minute}`,
    time_secs: () => `${pad(Number(clockPart.hour) % 24)}:${clockPart.minute}:${clockPart.second}`,
    ago: () => {
      // Slack's "3 minutes ago", "in 1 hour", "2 days ago": the locale's own words and plurals
      const minutes = Math.round((seconds * 1000 - now) / 60_000);
      if (Math.abs(minutes) < 1) return 'just now';
      const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'always' });
      if (Math.abs(minutes) < 60) return relative.format(minutes, 'minute');
      const hours = Math.round(minutes / 60);
      if (Math.abs(hours) < 24) return relative.format(hours, 'hour');
      return relative.format(Math.round(hours / 24), 'day');
    },
  };
  return format.replace(/\{([a-z_]+)\}/g, (whole, name) => (tokens[name] ? tokens[name]() : whole));
}
