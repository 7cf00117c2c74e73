/**
 * The small pages of the web page that say one thing (a sign-in refusal, an error, "not found", "signed out"):
 * plain HTML5 with no script and no inline style, sent with the headers of every page (PAGE_HEADERS), never
 * cached.
 */
import type { ServerResponse } from 'node:http';
import { escapeHtml } from './html.js';
import { PAGE_HEADERS, sendPage } from './web-layout.js';

export interface AuthPage {
  title: string;
  /** one or two sentences: what happened and what to do */
  message: string;
  /** a way on: where and what it says */
  link?: { href: string; text: string };
  /** the style sheet's address, for a page shown within the site (absent on the sign-in pages) */
  stylesheet?: string;
}

/** The HTML of a small page; every text is escaped. */
export function authPageHtml(page: AuthPage): string {
  const link = page.link
    ? `\n<p><a href="${escapeHtml(page.link.href)}">${escapeHtml(page.link.text)}</a></p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} · Muster</title>${page.stylesheet ? `\n<link rel="stylesheet" href="${escapeHtml(page.stylesheet)}">` : ''}
</head>
<body>
<main>
<h1>${escapeHtml(page.title)}</h1>
<p>${escapeHtml(page.message)}</p>${link}
</main>
</body>
</html>
`;
}

/** Answers with a small page and the page headers (plus `extra`, e.g. a Set-Cookie). */
export function sendAuthPage(
  res: ServerResponse,
  status: number,
  page: AuthPage,
  extra: Record<string, string | string[]> = {},
): void {
  sendPage(res, status, authPageHtml(page), extra);
}

/** A 303 See Other to `location`, with the page headers (plus `extra`). */
export function seeOther(
  res: ServerResponse,
  location: string,
  extra: Record<string, string | string[]> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(303, { ...PAGE_HEADERS, location, 'content-length': 0, ...extra });
  res.end();
}

/** A plain-text answer (a refused form post), with the page headers. */
export function sendAuthText(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    ...PAGE_HEADERS,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
