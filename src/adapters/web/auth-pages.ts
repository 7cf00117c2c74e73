/**
 * The small pages of signing in and out (a refusal, an error, "signed out"): plain HTML5 with no script and no
 * inline style, under a Content-Security-Policy that allows neither, never cached.
 */
import type { ServerResponse } from 'node:http';

/** Headers of every sign-in answer, pages and redirects alike. */
export const AUTH_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface AuthPage {
  title: string;
  /** one or two sentences: what happened and what to do */
  message: string;
  /** a way on: where and what it says */
  link?: { href: string; text: string };
}

/** The HTML of a small sign-in page; every text is escaped. */
export function authPageHtml(page: AuthPage): string {
  const link = page.link
    ? `\n<p><a href="${escapeHtml(page.link.href)}">${escapeHtml(page.link.text)}</a></p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} · Muster</title>
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

/** Answers with a small page and the sign-in headers (plus `extra`, e.g. a Set-Cookie). */
export function sendAuthPage(
  res: ServerResponse,
  status: number,
  page: AuthPage,
  extra: Record<string, string | string[]> = {},
): void {
  if (res.headersSent) return;
  const html = authPageHtml(page);
  res.writeHead(status, {
    ...AUTH_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    ...extra,
  });
  res.end(html);
}

/** A 303 See Other to `location`, with the sign-in headers (plus `extra`). */
export function seeOther(
  res: ServerResponse,
  location: string,
  extra: Record<string, string | string[]> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(303, { ...AUTH_HEADERS, location, 'content-length': 0, ...extra });
  res.end();
}

/** A plain-text answer (a refused form post), with the sign-in headers. */
export function sendAuthText(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    ...AUTH_HEADERS,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
