/**
 * Slack message markup (`<@U1>`, `<https://x|label>`, `&amp;`) as HTML text: people by name, links as links
 * (http, https and mailto only), everything else escaped. Slack's own formatting (`*bold*`) stays as typed.
 */
import { linkLabel, renderSlackMarkup } from '../render/slack-text.js';
import { escapeHtml, type Html, safeHref, trusted } from './html.js';

/** `text` (Slack markup) as safe HTML; `names`: user id -> display name. */
export function slackToHtml(text: string, names: Readonly<Record<string, string>>): Html {
  return trusted(
    renderSlackMarkup(text, names, {
      text: escapeHtml,
      token: (token) => {
        if (token.kind !== 'link') return escapeHtml(token.text);
        const href = /^(https?|mailto):/i.test(token.url) ? safeHref(token.url) : null;
        const label = escapeHtml(linkLabel(token.url, token.label));
        return href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${label}</a>` : label;
      },
    }),
  );
}
