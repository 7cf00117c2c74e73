/**
 * Every relative link in the repository's markdown leads somewhere: the file exists, and a `#fragment` names a
 * heading of that file as GitHub anchors it. A document the docs name in backticks (`ARCHITECTURE.md`,
 * `docs/catalog.md`) exists too. Issue 15: the postmortem docs pointed at an INCIDENT-PRACTICE.md that was
 * never in the repository.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = process.cwd();
/** Folders that hold no documentation of ours: dependencies, build output, local state. */
const SKIP = new Set(['node_modules', 'dist', 'data', '.git', 'coverage']);

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...markdownFiles(path));
    else if (name.endsWith('.md')) out.push(path);
  }
  return out;
}

/** The text outside fenced code blocks, line by line (numbers kept), with inline code blanked. */
function proseLines(text: string): { line: number; text: string; code: string[] }[] {
  const out: { line: number; text: string; code: string[] }[] = [];
  let fenced = false;
  for (const [i, raw] of text.split('\n').entries()) {
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced;
      continue;
    }
    // An indented block (four spaces after a blank line) is code too; documentation lines that are indented
    // continue a list item, so only lines that look like shell commands are dropped here.
    if (fenced || /^ {4}(npm|node|git|cp|curl|\/incident|DATABASE_URL|kill) /.test(raw)) continue;
    const code: string[] = [];
    const text = raw.replace(/(`+)(.+?)\1/g, (_m, _ticks: string, inner: string) => {
      code.push(inner);
      return ' '.repeat(inner.length);
    });
    out.push({ line: i + 1, text, code });
  }
  return out;
}

/** The link targets of a line: inline links and images `[x](target "title")`, and definitions `[x]: target`. */
function linkTargets(line: string): string[] {
  const targets: string[] = [];
  for (const m of line.matchAll(/!?\[[^\]]*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+"[^"]*")?\s*\)/g))
    targets.push(m[1]!);
  const definition = /^\s*\[[^\]]+\]:\s*(\S+)/.exec(line);
  if (definition) targets.push(definition[1]!);
  return targets.map((t) => t.replace(/^<|>$/g, ''));
}

/** GitHub's anchor of a heading: its text as shown, lower case, without punctuation, spaces as hyphens. */
function slug(heading: string): string {
  const shown = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .replace(/[*_]{1,2}([^*_]+)[*_]{1,2}/g, '$1');
  return shown
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a markdown file offers: its headings (repeats numbered as GitHub does) and HTML ids. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const base = slug(heading[1]!);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]!);
  }
  return anchors;
}

/** What is wrong with one relative target written in `file`, or null when it leads somewhere. */
function brokenTarget(file: string, target: string): string | null {
  const [pathPart, fragment] = target.split('#', 2) as [string, string | undefined];
  const path = pathPart ? resolve(dirname(file), decodeURIComponent(pathPart)) : file;
  if (!path.startsWith(root)) return `${target} leads outside the repository`;
  if (!existsSync(path)) return `${target}: there is no ${relative(root, path)}`;
  if (fragment === undefined || !path.endsWith('.md')) return null;
  return anchorsOf(readFileSync(path, 'utf8')).has(fragment)
    ? null
    : `${target}: ${relative(root, path)} has no heading with the anchor #${fragment}`;
}

const isExternal = (target: string): boolean =>
  /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

/**
 * A repository document named in backticks: an upper-case name (`ARCHITECTURE.md`) or a path under docs/.
 * Example file names (`checkout-5xx.md`) are not documents of the repository and are left alone, and so are
 * the notes on test fixtures, which name files of the repositories the fixtures come from.
 */
const namesADocument = (code: string): boolean =>
  /^[A-Z][A-Z0-9_-]*\.md$/.test(code) || /^docs\/[\w./-]+\.md$/.test(code);

/** Every broken link and missing named document in the repository's markdown, as `file:line: problem`. */
function brokenDocLinks(files: readonly string[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    for (const { line, text, code } of proseLines(readFileSync(file, 'utf8'))) {
      const where = `${relative(root, file)}:${line}`;
      for (const target of linkTargets(text)) {
        if (isExternal(target)) continue;
        const broken = brokenTarget(file, target);
        if (broken) problems.push(`${where}: ${broken}`);
      }
      const ownDocs = !relative(root, file).startsWith('test/');
      for (const name of ownDocs ? code.filter(namesADocument) : []) {
        if (!existsSync(join(root, name)) && !existsSync(join(dirname(file), name)))
          problems.push(`${where}: \`${name}\` is not in the repository`);
      }
    }
  }
  return problems;
}

describe('links in the documentation', () => {
  const files = markdownFiles(root);

  it('finds the documents to check', () => {
    const names = files.map((f) => relative(root, f));
    expect(names).toEqual(
      expect.arrayContaining([
        'README.md',
        'ARCHITECTURE.md',
        'docs/catalog.md',
        'docs/postmortem-template.md',
        'docs/incident-practice.md',
      ]),
    );
  });

  it('every relative link leads to a file in the repository, and every #anchor to a heading', () => {
    expect(brokenDocLinks(files)).toEqual([]);
  });

  it('catches a missing file, a missing anchor and a document named in backticks that does not exist', () => {
    const doc = join(root, 'docs', 'catalog.md');
    expect(brokenTarget(doc, 'INCIDENT-PRACTICE.md')).toBe(
      'INCIDENT-PRACTICE.md: there is no docs/INCIDENT-PRACTICE.md',
    );
    expect(brokenTarget(doc, 'incident-practice.md#severity')).toBeNull();
    expect(brokenTarget(doc, 'incident-practice.md#severities')).toBe(
      'incident-practice.md#severities: docs/incident-practice.md has no heading with the anchor #severities',
    );
    expect(brokenTarget(doc, '#env_name-references')).toBeNull();
    expect(brokenTarget(doc, '../../outside.md')).toBe('../../outside.md leads outside the repository');
    expect(namesADocument('INCIDENT-PRACTICE.md')).toBe(true);
    expect(namesADocument('docs/catalog.md')).toBe(true);
    expect(namesADocument('checkout-5xx.md')).toBe(false);
    expect(slug('The `keyTimes` of **a** [postmortem](x.md), again!')).toBe(
      'the-keytimes-of-a-postmortem-again',
    );
  });
});
