import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkBlameless, loadBlamelessRules } from '../../../src/adapters/render/blameless-check.js';
import { slackToMarkdown } from '../../../src/adapters/render/markdown-escape.js';

const WORDS = fileURLToPath(new URL('../../../templates/blameless-words.yaml', import.meta.url));
const GOLDEN = fileURLToPath(new URL('../../fixtures/postmortem-golden.md', import.meta.url));
const rules = loadBlamelessRules(WORDS);
const people = ['Ada Lovelace', 'Bob Builder'];
const tmp = mkdtempSync(join(tmpdir(), 'muster-blameless-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const doc = (section: string, body: string): string =>
  `# INC-1: Checkout\n\n## ${section}\n\n${body}\n\n## Key times (UTC)\n\nBob caused nothing here.\n`;
const phrases = (md: string): string[] => checkBlameless(md, rules, people).map((f) => f.phrase);

describe('checkBlameless', () => {
  const cases: [string, string, string[]][] = [
    ['human error', 'The outage was human error.', ['human error']],
    ['careless, in any case', 'A Careless push went out.', ['Careless']],
    ['should have known', 'The on-call engineer should have known the limit.', ['should have known']],
    ['fault of', 'It was the fault of the release team.', ['fault of']],
    ['blame, but not blameless', 'We keep this blameless. Nobody is to blame.', ['to blame']],
    ['negligent and incompetent', 'Negligent config, incompetent review.', ['Negligent', 'incompetent']],
    ['screwed up', 'We screwed up the rollout.', ['screwed up']],
    ['a known person with a verb', 'Ada Lovelace caused the outage.', ['Ada Lovelace caused']],
    ['a mention of a known person', '@Bob Builder broke production.', ['Bob Builder broke']],
    ['any capitalised name with a verb', 'Then Dave forgot the flag.', ['Dave forgot']],
    [
      'a system with a lower-case noun is fine',
      'The deploy pipeline allowed an unreviewed config change.',
      [],
    ],
    ['sentence-start words that are not people', 'It broke after the deploy. This caused a backlog.', []],
    ['a word inside another word is not matched', 'Stupidity aside, the careful review helped.', []],
  ];
  for (const [name, body, expected] of cases) {
    it(name, () => expect(phrases(doc('Root cause analysis', body))).toEqual(expected));
  }

  it('returns the sentence and a gentle suggestion', () => {
    const [f] = checkBlameless(
      doc('What could have been better', 'Deploys were rushed. Bob broke the build. We learned.'),
      rules,
      people,
    );
    expect(f).toEqual({
      phrase: 'Bob broke',
      sentence: 'Bob broke the build.',
      suggestion: expect.stringMatching(/^Name the condition rather than the person/),
      section: 'What could have been better',
    });
    expect(checkBlameless(doc('Impact', 'Human error.'), rules, people)[0]!.suggestion).toMatch(
      /Describe what in the system allowed this/,
    );
  });

  it('checks timeline cells one by one, after undoing markdown escapes', () => {
    const md = [
      '## Timeline (UTC)',
      '',
      '| Date | Time | Who | What | Details |',
      '| --- | --- | --- | --- | --- |',
      '| 2025-03-14 | 09:00 | Bob Builder | Note | caused by a \\*careless\\* edit<br>[dashboard](https://x.example/fault of) |',
      '| 2025-03-14 | 09:05 | Ada Lovelace | Note | **Ada Lovelace** caused a restart |',
    ].join('\n');
    expect(checkBlameless(md, rules, people).map((f) => [f.phrase, f.sentence])).toEqual([
      ['careless', 'caused by a *careless* edit'],
      ['Ada Lovelace caused', 'Ada Lovelace caused a restart'],
    ]);
  });

  it('skips generated sections and the title', () => {
    expect(phrases('# INC-1: Bob broke checkout\n\n## Key times (UTC)\n\nhuman error\n')).toEqual([]);
  });

  it('keeps checking sub-headings of a checked section until a sibling heading', () => {
    const md = '## Summary\n\n### Roles\n\nBob broke it.\n\n## Key times\n\nBob broke it again.\n';
    expect(phrases(md)).toEqual(['Bob broke']);
  });

  it('reports a repeated sentence once', () => {
    expect(phrases(doc('Impact', 'Human error.\n\nHuman error.'))).toEqual(['Human error']);
  });

  it('finds nothing in the golden postmortem or in its prompts', () => {
    expect(
      checkBlameless(readFileSync(GOLDEN, 'utf8'), rules, ['Ada Lovelace', 'Grace Hopper', 'Alan Turing']),
    ).toEqual([]);
  });
});

describe('loadBlamelessRules', () => {
  const write = (name: string, text: string): string => {
    const path = join(tmp, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads plain phrases, phrases with suggestions and person verbs', () => {
    const path = write(
      'rules.yaml',
      [
        'suggestion: Describe the system.',
        'sections: [Notes]',
        'phrases:',
        '  - oops',
        '  - { phrase: total mess, suggestion: Say what was missing. }',
        'person_verbs: [wrecked]',
        'person_suggestion: Name the condition.',
        'not_names: [Someone]',
      ].join('\n'),
    );
    const custom = loadBlamelessRules(path);
    expect(custom.phrases).toEqual([
      { phrase: 'oops', suggestion: 'Describe the system.' },
      { phrase: 'total mess', suggestion: 'Say what was missing.' },
    ]);
    const findings = checkBlameless(
      '## Notes\n\nOops, a total mess. Kim wrecked it. Someone wrecked it.',
      custom,
      [],
    );
    expect(findings.map((f) => [f.phrase, f.suggestion])).toEqual([
      ['Oops', 'Describe the system.'],
      ['total mess', 'Say what was missing.'],
      ['Kim wrecked', 'Name the condition.'],
    ]);
  });

  it('names the file and the problem for a bad list', () => {
    const path = write('bad.yaml', 'suggestion: x\nsections: []\n');
    expect(() => loadBlamelessRules(path)).toThrow(new RegExp(`${path}: sections:`));
    expect(() =>
      loadBlamelessRules(write('typo.yaml', 'suggestion: x\nsections: [A]\nphrase: [x]\n')),
    ).toThrow(/typo\.yaml/);
    expect(() => loadBlamelessRules(join(tmp, 'missing.yaml'))).toThrow(/missing\.yaml: cannot read/);
  });
});

// Long pinned messages reach the check as rendered cells. Each of these once made a regex rescan the rest
// of the line from every position; what is asserted is that the finding after them is still found.
describe('long and hostile text', () => {
  const N = 40_000;
  const row = (text: string): string =>
    `## Timeline (UTC)\n\n| 2025-03-14 | 09:00 | Bob Builder | Message | ${slackToMarkdown(text, {}, true)} |\n`;
  const junk: [string, string][] = [
    ['escaped brackets', '['.repeat(N)],
    ['link-like text', '[a](x'.repeat(N / 5)],
    ['a hyphenated capitalised word', 'A-'.repeat(N / 2)],
    ['a run of hyphens before a name', `Ann${'-'.repeat(N)}Marie`],
    ['emphasis markers', '*_~'.repeat(N / 3)],
    ['unclosed mentions', '<@U1|'.repeat(N / 5)],
    ['blanks', `x${' '.repeat(N)}y`],
    ['line breaks', 'a\n'.repeat(N / 2)],
  ];
  for (const [name, text] of junk) {
    it(`finds the sentence after ${name}`, () => {
      expect(
        checkBlameless(row(`${text}. Then Dave forgot the flag.`), rules, people).map((f) => [
          f.phrase,
          f.sentence,
        ]),
      ).toEqual([['Dave forgot', 'Then Dave forgot the flag.']]);
    });
  }

  it('reads a heading padded with 40,000 blanks, and a separator row indented as far', () => {
    const md = `## Timeline${' '.repeat(N)}\n\n${' '.repeat(N)}| --- | --- |\n| Bob broke it. |\n`;
    expect(phrases(md)).toEqual(['Bob broke']);
  });

  it('reads a hyphenated or apostrophe name whole', () => {
    expect(phrases(doc('Impact', "Then Jean-Luc forgot it. O'Brien forgot the flag."))).toEqual([
      'Jean-Luc forgot',
      "O'Brien forgot",
    ]);
  });
});
