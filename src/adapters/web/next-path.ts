/**
 * Where a sign-in returns to: a path of the web page, given by whoever made the link. Anything that could send
 * the browser elsewhere once signed in (an open redirect) becomes the list, `/incidents`.
 */

/** The web page's own root, where every doubtful `next` goes. */
export const WEB_ROOT = '/incidents';

const MAX_LENGTH = 2048;
const ORIGIN = 'http://muster.invalid';

/**
 * `raw` when it is a plain path under /incidents (with an optional query), else `/incidents`. Refused: another
 * origin (`//host`, `https://host`, `\\host`, which browsers read as `//host`), dot segments (`/incidents/../x`),
 * their percent-encoded forms, control characters and spaces, and the sign-in routes themselves (a loop).
 */
export function safeNextPath(raw: string | null | undefined): string {
  if (!raw || raw.length > MAX_LENGTH) return WEB_ROOT;
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  if (!/^\/incidents(\/|$)/.test(path)) return WEB_ROOT;
  // each of these leaves the path, or hides that it does
  if (/[\\\x00-\x20\x7f#]/.test(raw) || path.includes('//') || /%(2e|2f|5c|00)/i.test(path)) return WEB_ROOT;
  if (path.split('/').some((segment) => segment === '.' || segment === '..')) return WEB_ROOT;
  if (path === `${WEB_ROOT}/auth` || path.startsWith(`${WEB_ROOT}/auth/`)) return WEB_ROOT;
  let parsed: URL;
  try {
    parsed = new URL(raw, ORIGIN);
  } catch {
    return WEB_ROOT;
  }
  // what the browser would make of it must be exactly what was checked
  if (parsed.origin !== ORIGIN || `${parsed.pathname}${parsed.search}` !== raw) return WEB_ROOT;
  return raw;
}
