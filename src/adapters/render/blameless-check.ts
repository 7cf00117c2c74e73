/**
 * The blameless check: finds sentences in a postmortem that point at people rather than at the
 * system, so the person writing it can reconsider them. It only reports; it never edits.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import * as z from 'zod';
import type { BlamelessFinding } from '../../domain/ports.js';

export interface BlamelessRules {
  suggestion: string;
  /** heading texts (prefixes, any case) whose sections are checked */
  sections: string[];
  phrases: { phrase: string; suggestion: string }[];
  personVerbs: { verb: string; suggestion: string }[];
  notNames: string[];
}

export type { BlamelessFinding };

const text = z.string().trim().min(1);
const RulesFile = z
  .object({
    suggestion: text,
    sections: z.array(text).min(1),
    phrases: z
      .array(z.union([text, z.object({ phrase: text, suggestion: text.optional() }).strict()]))
      .default([]),
    person_verbs: z
      .array(z.union([text, z.object({ verb: text, suggestion: text.optional() }).strict()]))
      .default([]),
    person_suggestion: text.optional(),
    not_names: z.array(text).default([]),
  })
  .strict();

/** Reads the editable word list (see templates/blameless-words.yaml); throws naming the file and the problem. */
export function loadBlamelessRules(path: string): BlamelessRules {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: cannot read the blameless word list: ${(e as Error).message}`);
  }
  const parsed = RulesFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path}: ${issue.path.join('.') || 'file'}: ${issue.message}`);
  }
  const r = parsed.data;
  return {
    suggestion: r.suggestion,
    sections: r.sections,
    phrases: r.phrases.map((p) =>
      typeof p === 'string'
        ? { phrase: p, suggestion: r.suggestion }
        : { phrase: p.phrase, suggestion: p.suggestion ?? r.suggestion },
    ),
    personVerbs: r.person_verbs.map((v) => {
      const fallback = r.person_suggestion ?? r.suggestion;
      return typeof v === 'string'
        ? { verb: v, suggestion: fallback }
        : { verb: v.verb, suggestion: v.suggestion ?? fallback };
    }),
    notNames: r.not_names,
  };
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const squash = (s: string): string => s.trim().replace(/\s+/g, ' ').toLowerCase();
// Whole words, spaces flexible; a JS regex cannot switch case-insensitivity on for one group, so
// names and verbs spell out both cases where the capitalised-word alternative must stay case-sensitive.
const words = (s: string, each: (w: string) => string): string =>
  s.trim().split(/\s+/).map(each).join('\\s+');
const flexible = (s: string): string => words(s, escapeRegex);
const caseless = (s: string): string =>
  words(s, (w) =>
    escapeRegex(w).replace(/\p{L}/gu, (c) =>
      c.toLowerCase() === c.toUpperCase() ? c : `[${c.toLowerCase()}${c.toUpperCase()}]`,
    ),
  );
const byLength = (a: string, b: string): number => b.length - a.length;
const NOT_WORD_BEFORE = '(?<![\\p{L}\\p{N}_])';
// A name starts where a word starts, not inside `Anne-Marie` or `O'Brien`: else every part of a 40,000-character
// `A-A-A-…` would start a match that scans to the end of it (quadratic). The lookahead first keeps the
// backward look over `'’-` to positions at a letter or `@`, so a long run of hyphens is not rescanned.
const NOT_NAME_BEFORE = "(?=[@\\p{L}])(?<![\\p{L}\\p{N}_]['’-]*)";
const NOT_WORD_AFTER = '(?![\\p{L}\\p{N}_])';

const ENTITIES: Record<string, string> = {
  '&lt;': '<',
  '&gt;': '>',
  '&amp;': '&',
  '&quot;': '"',
  '&#x27;': "'",
  '&#39;': "'",
};

/**
 * Rendered markdown back to the words a reader sees; a line break (`<br>`, or the ` · ` user text gets)
 * ends a sentence. Linear: a link starts only at an unescaped `[`, its label stops at the next bracket and
 * its address at the next parenthesis, so a run of `\[` or `](` cannot make each match rescan the line.
 */
function plain(md: string): string {
  return md
    .replace(/<br\s*\/?>| · /gi, '\n')
    .replace(/(?<!\\)!?\[((?:\\.|[^[\]\\])*)\]\([^()]*\)/g, '$1')
    .replace(/(?<!\\)(\*+|~~|(?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}]))/gu, '')
    .replace(/\\(.)/g, '$1')
    .replace(/&(?:lt|gt|amp|quot|#x27|#39);/g, (m) => ENTITIES[m]!)
    .replace(/^\s*(?:[-+]|\d+[.)]|>)\s+/, '');
}

const splitCells = (row: string): string[] =>
  row
    .replace(/^\s*\|/, '')
    .replace(/\|\s*$/, '')
    .split(/(?<!\\)\|/);

function* sentences(unit: string): Generator<string> {
  for (const line of plain(unit).split('\n')) {
    for (const s of line.split(/(?<=[.!?])\s+(?=\S)/)) {
      const t = s.trim();
      if (t) yield t.length > 300 ? `${t.slice(0, 299)}…` : t;
    }
  }
}

/** Checks the sections people write (and the timeline text) of a rendered postmortem; `names` are people's display names. */
export function checkBlameless(
  markdown: string,
  rules: BlamelessRules,
  names: readonly string[],
): BlamelessFinding[] {
  const phraseBySquash = new Map(rules.phrases.map((p) => [squash(p.phrase), p]));
  const phraseAlternatives = [...rules.phrases.map((p) => p.phrase)].sort(byLength).map(flexible);
  const phraseRe = phraseAlternatives.length
    ? new RegExp(`${NOT_WORD_BEFORE}(?:${phraseAlternatives.join('|')})${NOT_WORD_AFTER}`, 'giu')
    : null;
  const verbBySquash = new Map(rules.personVerbs.map((v) => [squash(v.verb), v]));
  const people = [...names]
    .filter((n) => n.trim())
    .sort(byLength)
    .map(caseless);
  const verbs = rules.personVerbs
    .map((v) => v.verb)
    .sort(byLength)
    .map(caseless);
  const personRe = verbs.length
    ? new RegExp(
        `${NOT_NAME_BEFORE}@?(${[...people, "\\p{Lu}[\\p{L}'’-]*"].join('|')})\\s+(${verbs.join('|')})${NOT_WORD_AFTER}`,
        'gu',
      )
    : null;
  const notNames = new Set(rules.notNames.map(squash));
  const wanted = rules.sections.map((s) => ({ name: s, key: s.toLowerCase() }));

  const findings: BlamelessFinding[] = [];
  const seen = new Set<string>();
  const add = (phrase: string, sentence: string, suggestion: string, section: string): void => {
    const key = `${squash(phrase)}\u0000${sentence}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push({ phrase, sentence, suggestion, section });
  };

  let section: { name: string; level: number } | null = null;
  for (const line of markdown.split(/\r?\n/)) {
    // `(.*)` then trimEnd, not `(.*?)\s*$`: a lazy group before `\s*$` rescans a long run of spaces.
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      const title = plain(heading[2]!.trimEnd()).toLowerCase();
      const match = wanted.find((w) => title.startsWith(w.key));
      if (match) section = { name: match.name, level };
      else if (section && level <= section.level) section = null;
      continue;
    }
    if (!section || /^\|?\s*:?-{3,}/.test(line.trimStart())) continue;
    const units = line.trimStart().startsWith('|') ? splitCells(line) : [line];
    for (const unit of units) {
      for (const sentence of sentences(unit)) {
        for (const m of phraseRe ? sentence.matchAll(phraseRe) : []) {
          const rule = phraseBySquash.get(squash(m[0]));
          add(m[0], sentence, rule?.suggestion ?? rules.suggestion, section.name);
        }
        for (const m of personRe ? sentence.matchAll(personRe) : []) {
          if (notNames.has(squash(m[1]!))) continue;
          const rule = verbBySquash.get(squash(m[2]!));
          add(m[0].replace(/^@/, ''), sentence, rule?.suggestion ?? rules.suggestion, section.name);
        }
      }
    }
  }
  return findings;
}
