/**
 * The postmortem's markdown as HTML for the incident page. micromark is safe by default: raw HTML in the
 * markdown (a team's template, or text a responder typed) is shown as text, and link targets other than
 * http(s), mailto and relative ones are dropped. Headings move down a level (the page has its own h1, and the
 * document sits under the page's "Postmortem" heading).
 */
import { type Html, trusted } from './html.js';

type ToHtml = (markdown: string) => string;
let loaded: Promise<ToHtml> | null = null;

/** micromark with GFM tables and autolinks, loaded on the first page that needs it: ~80 ms off every start. */
function converter(): Promise<ToHtml> {
  loaded ??= Promise.all([
    import('micromark'),
    import('micromark-extension-gfm-autolink-literal'),
    import('micromark-extension-gfm-table'),
  ]).then(
    ([{ micromark }, autolink, table]) =>
      (markdown: string) =>
        micromark(markdown, {
          extensions: [table.gfmTable(), autolink.gfmAutolinkLiteral()],
          htmlExtensions: [table.gfmTableHtml(), autolink.gfmAutolinkLiteralHtml()],
        }),
  );
  return loaded;
}

/** `markdown` as safe HTML, headings one level down (h1 -> h3: the page's section heading is an h2). */
export async function postmortemHtml(markdown: string): Promise<Html> {
  const out = (await converter())(markdown);
  return trusted(
    out.replace(
      /<(\/?)h([1-6])>/g,
      (_, close: string, level: string) => `<${close}h${Math.min(6, Number(level) + 2)}>`,
    ),
  );
}
