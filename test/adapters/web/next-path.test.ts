import { describe, expect, it } from 'vitest';
import { safeNextPath } from '../../../src/adapters/web/next-path.js';

describe('where a sign-in returns to', () => {
  it.each([
    '/incidents',
    '/incidents/',
    '/incidents/42',
    '/incidents/insights?from=2026-01-01&sev=1',
    '/incidents?q=%2F%2Fevil.example',
  ])('keeps a path of the web page: %s', (path) => {
    expect(safeNextPath(path)).toBe(path);
  });

  it.each([
    ['nothing', null],
    ['empty', ''],
    ['another origin', '//evil.example'],
    ['another origin under the path', '/incidents//evil.example'],
    ['a scheme', 'https://evil.example'],
    ['a scheme with the path', 'https://evil.example/incidents'],
    ['javascript', 'javascript:alert(1)'],
    ['a backslash', '\\evil'],
    ['backslashes', '/\\evil.example'],
    ['a backslash under the path', '/incidents\\..\\x'],
    ['dot segments', '/incidents/../x'],
    ['a dot segment', '/incidents/./42'],
    ['encoded dots', '/incidents/%2e%2e/x'],
    ['an encoded slash', '/incidents/%2F%2Fevil'],
    ['another page', '/metrics'],
    ['a look-alike', '/incidentsx'],
    ['relative', 'incidents/42'],
    ['a tab', '/incidents/\t42'],
    ['a newline', '/incidents/\r\nSet-Cookie: x=1'],
    ['a space', '/incidents/ 42'],
    ['a fragment', '/incidents#x'],
    ['non-ASCII', '/incidents/é'],
    ['the sign-in itself', '/incidents/auth/login?next=/incidents'],
    ['the sign-out', '/incidents/auth/logout'],
    ['too long', `/incidents/${'a'.repeat(3000)}`],
  ])('makes anything else the list: %s', (_what, path) => {
    expect(safeNextPath(path)).toBe('/incidents');
  });
});
