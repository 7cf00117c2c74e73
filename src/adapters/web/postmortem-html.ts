/**
 * The postmortem's markdown as HTML for the incident page. micromark is safe by default: raw HTML in the
 * markdown (a team's template, or text a responder typed) is shown as text, and link targets other than
 * http(s), mailto and relative ones are dropped. Headings move down a level (the page has its own h1, and the
 * document sits under the page's "Postmortem" heading).
 */
import { micromark } from 'micromark';
import { gfmAutolinkLiteral, gfmAutolinkLiteralHtml } from 'micromark-extension-gfm-autolink-literal';
import { gfmTable, gfmTableHtml } from 'micromark-extension-gfm-table';
import { type Html, trusted } from './html.js';

/** `markdown` as safe HTML, headings one level down (h1 -> h3: the page's section heading is an h2). */
export function postmortemHtml(markdown: string): Html {
  const out = micromark(markdown, {
    extensions: [gfmTable(), gfmAutolinkLiteral()],
    htmlExtensions: [gfmTableHtml(), gfmAutolinkLiteralHtml()],
  });
  return trusted(
    out.replace(
      /<(\/?)h([1-6])>/g,
      (_, close: string, level: string) => `<${close}h${Math.min(6, Number(level) + 2)}>`,
    ),
  );
}
