/**
 * The demo's postmortem outlives the demo's sandbox, which listens on a temporary port only while the demo
 * runs: a link into it (a message permalink, an uploaded runbook) would be dead in the written file. Such a
 * link becomes its plain label; the "in Slack" permalink of a timeline row, which says nothing without its
 * link, goes together with its separator. Links elsewhere (a dashboard, a runbook on the web) are kept.
 */

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `markdown` with every link whose address starts with `base` (e.g. `http://127.0.0.1:41234`) unlinked. */
export function withoutLinksTo(markdown: string, base: string): string {
  const at = escapeRegExp(base.replace(/\/+$/, ''));
  // a link target is written bare, or in angle brackets when it holds spaces
  const target = `\\((?:<${at}(?:[/?#][^>\\n]*)?>|${at}(?:[/?#][^)\\s]*)?)\\)`;
  // an unescaped `[`, then escaped characters or anything but brackets: each character is looked at once
  const label = '(?<!\\\\)\\[((?:\\\\.|[^\\\\[\\]\\n])*)\\]';
  return markdown
    .replace(new RegExp(` · \\[in Slack\\]${target}`, 'g'), '')
    .replace(new RegExp(`${label}${target}`, 'g'), '$1')
    .replace(new RegExp(`<${at}(?:[/?#][^>\\s]*)?>`, 'g'), '');
}
