/**
 * What a postmortem template may call, and how it is compiled: shared by the compiler (any template, checked
 * at start-up) and the precompiled shipped template (the Handlebars runtime only), so both render alike.
 */
import type Handlebars from 'handlebars';
import { escapeMarkdown, escapeTableCell, markdownLink, slackToMarkdown } from './markdown-escape.js';

/** Helpers templates may call, with how many arguments each takes. */
export const TEMPLATE_HELPERS: Readonly<Record<string, number>> = {
  md: 1,
  cell: 1,
  slack: 1,
  slackCell: 1,
  link: 2,
};

/** Strict (an unknown field is an error) and known helpers only, so helper calls compile to direct calls. */
export const COMPILE_OPTIONS = {
  strict: true,
  knownHelpers: Object.fromEntries(Object.keys(TEMPLATE_HELPERS).map((h) => [h, true])),
  knownHelpersOnly: true,
} as const;

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const namesOf = (options: Handlebars.HelperOptions): Record<string, string> => {
  const names = (options.data as { root?: { names?: unknown } } | undefined)?.root?.names;
  return names && typeof names === 'object' ? (names as Record<string, string>) : {};
};

/** Registers the template helpers on a Handlebars environment (the full one or the runtime). */
export function registerHelpers(hb: typeof Handlebars): void {
  const safe = (s: string) => new hb.SafeString(s);
  hb.registerHelper({
    md: (v: unknown) => safe(escapeMarkdown(text(v))),
    cell: (v: unknown) => safe(escapeTableCell(text(v))),
    slack: (v: unknown, options: Handlebars.HelperOptions) =>
      safe(slackToMarkdown(text(v), namesOf(options))),
    slackCell: (v: unknown, options: Handlebars.HelperOptions) =>
      safe(slackToMarkdown(text(v), namesOf(options), true)),
    link: (label: unknown, url: unknown) => safe(markdownLink(text(label), text(url))),
  });
}
