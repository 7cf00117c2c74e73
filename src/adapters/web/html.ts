/**
 * HTML built from tagged templates: every interpolated value is escaped unless it is already `Html` (built by
 * this module), so user text (titles, notes, names) can only ever be text on the page.
 */

/** A piece of markup this module built or was told is safe. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text as HTML text or attribute value. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

type Part = Html | string | number | null | undefined | false | readonly Part[];

const render = (v: Part): string => {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
};

/** Markup with its values escaped: html`<td>${title}</td>`; arrays are joined, null/undefined/false are left out. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Markup produced elsewhere and already safe (the postmortem's HTML from micromark, an SVG chart). */
export const trusted = (markup: string): Html => new Html(markup);

/** A URL fit for an href: http(s), mailto, or a path of this site; anything else (javascript:, data:) is null. */
export function safeHref(url: string): string | null {
  const u = url.trim();
  if (/^\/(?![/\\])/.test(u)) return u;
  return /^(https?:|mailto:)/i.test(u) ? u : null;
}
