/** The frame every page of the web page shares (header, navigation, who is signed in) and how pages are sent. */
import type { ServerResponse } from 'node:http';
import { type Html, html } from './html.js';
import type { Viewer } from './viewer.js';

/** Where a page sits and who looks at it. */
export interface Frame {
  /** the `<title>`, before ` · Muster` */
  title: string;
  /** the navigation entry of this page, marked as the current one */
  current: 'incidents' | 'insights' | null;
  viewer: Viewer;
  /** the path the site is served under (WEB_BASE_URL's path, '' at the root) */
  base: string;
  /** the token of the sign-out form; null where nobody signs in (the sandbox) */
  csrf: string | null;
}

/** The whole document around `body`. */
export function layout(frame: Frame, body: Html): string {
  const nav = (key: Frame['current'], href: string, label: string) =>
    html`<li><a href="${href}"${frame.current === key ? html` aria-current="page"` : ''}>${label}</a></li>`;
  const signOut = frame.csrf
    ? html`<form method="post" action="${frame.base}/incidents/auth/logout"><input type="hidden" name="csrf" value="${frame.csrf}"><button type="submit" class="quiet">Sign out</button></form>`
    : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · Muster</title>
<link rel="stylesheet" href="${frame.base}/incidents/assets/muster.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
<a class="brand" href="${frame.base}/incidents">Muster</a>
<nav aria-label="Main"><ul>${nav('incidents', `${frame.base}/incidents`, 'Incidents')}${nav('insights', `${frame.base}/incidents/insights`, 'Insights')}</ul></nav>
<div class="who"><span>Signed in as <strong>${frame.viewer.name}</strong></span>${signOut}</div>
</header>
<main id="main" tabindex="-1">
${body}
</main>
</body>
</html>
`.value;
}

/**
 * Headers of every answer of the web page (pages, sign-in redirects and refusals): no script, nothing loaded
 * from elsewhere, no `<base>` to move links, nothing frames it, nothing is cached by the browser.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

/** Sends a page (or a short message page) with the page headers, plus `extra` (a Set-Cookie). */
export function sendPage(
  res: ServerResponse,
  status: number,
  document: string,
  extra: Record<string, string | string[]> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    ...PAGE_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(document),
    ...extra,
  });
  res.end(document);
}
