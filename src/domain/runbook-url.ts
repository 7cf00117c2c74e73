/** Runbook links as Muster stores and shows them: http(s) only, normalised, safe inside Slack link markup. */
import { DomainError } from './errors.js';

/** Longest link accepted; real runbook and dashboard links are far shorter. */
export const MAX_RUNBOOK_URL = 2000;
/** Longest runbook title kept; longer ones are cut with an ellipsis. */
export const MAX_RUNBOOK_TITLE = 150;

/**
 * The stored form of a runbook link: WHATWG-normalised (so `HTTPS://Wiki.Example.com/a` and
 * `https://wiki.example.com/a` are one link), with `|` percent-encoded because it would end a Slack
 * `<url|label>` early. Throws DomainError `runbook.bad_url` saying what is wrong.
 */
export function normalizeRunbookUrl(raw: string): string {
  const text = raw.trim();
  // Quoted for a Slack message: `<` and `>` escaped so the text cannot form a mention or a link.
  const cut = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  const shown = `"${cut.replace(/</g, '&lt;').replace(/>/g, '&gt;')}"`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badUrl(
      `${shown} is not a valid URL: expected a link like https://wiki.example.com/runbooks/db-failover`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw badUrl(`${shown} is not an http(s) URL: only http:// and https:// links can be runbooks`);
  }
  if (!url.hostname) throw badUrl(`${shown} has no host name`);
  // A password in a link would end up on the timeline, in bookmarks and in the postmortem.
  if (url.username || url.password) throw badUrl(`${shown} holds a user name or password: link without it`);
  const href = url.href.replace(/\|/g, '%7C');
  if (href.length > MAX_RUNBOOK_URL) {
    throw badUrl(`the link is ${href.length} characters; the limit is ${MAX_RUNBOOK_URL}`);
  }
  return href;
}

/** A title for a link given without one: host and path, e.g. `wiki.example.com/runbooks/db-failover`. */
export function titleFromUrl(href: string): string {
  const url = new URL(href);
  const path = decodeSafely(url.pathname).replace(/\/+$/, '');
  return cutTitle(`${url.hostname.replace(/^www\./, '')}${path}`);
}

/** Trims a title and cuts it to MAX_RUNBOOK_TITLE characters (by code point, so emoji are not split). */
export function cutTitle(title: string): string {
  const chars = Array.from(title.trim().replace(/\s+/g, ' '));
  return chars.length > MAX_RUNBOOK_TITLE
    ? `${chars.slice(0, MAX_RUNBOOK_TITLE - 1).join('')}…`
    : chars.join('');
}

function decodeSafely(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

const badUrl = (message: string): DomainError => new DomainError('runbook.bad_url', message);
