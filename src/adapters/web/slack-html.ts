/**
 * Slack message markup (`<@U1>`, `<https://x|label>`, `&amp;`) as HTML text: people by name, links as links
 * (http, https and mailto only), everything else escaped. Slack's own formatting (`*bold*`) stays as typed.
 */
import { decodeSlackEntities, linkLabel, readSlackToken, SLACK_MARKUP } from '../render/slack-text.js';
import { escapeHtml, type Html, safeHref, trusted } from './html.js';

/** `text` (Slack markup) as safe HTML; `names`: user id -> display name. */
export function slackToHtml(text: string, names: Readonly<Record<string, string>>): Html {
  const src = text.replace(/\r\n?/g, '\n');
  let out = '';
  let last = 0;
  for (const m of src.matchAll(SLACK_MARKUP)) {
    out += escapeHtml(decodeSlackEntities(src.slice(last, m.index)));
    const token = readSlackToken(m[1]!, names);
    if (token.kind === 'link') {
      const href = /^mailto:/i.test(token.url) || /^https?:/i.test(token.url) ? safeHref(token.url) : null;
      const label = escapeHtml(linkLabel(token.url, token.label));
      out += href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${label}</a>` : label;
    } else {
      out += escapeHtml(token.text);
    }
    last = m.index + m[0].length;
  }
  out += escapeHtml(decodeSlackEntities(src.slice(last)));
  return trusted(out);
}
