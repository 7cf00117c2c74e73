import { lint } from 'markdownlint/sync';
import { describe, expect, it } from 'vitest';
import {
  escapeMarkdown,
  escapeTableCell,
  markdownLink,
  safeUrl,
  slackToMarkdown,
} from '../../../src/adapters/render/markdown-escape.js';

/** A `<` markdown would read as the start of HTML or an autolink: one not escaped, before a letter, `/`, `!` or `?`. */
const OPENS_MARKUP = /(?<!\\)<[A-Za-z/!?]/;

const names = { U1: 'Ada Lovelace', U2: 'Bob *the* [builder]', U3: '<img src=x onerror=alert(1)>' };

describe('escapeMarkdown: user text renders as itself', () => {
  const cases: [string, string, string][] = [
    ['a leading # is not a heading', '# Heading', '\\# Heading'],
    ['#word at the start', '#incidents', '\\#incidents'],
    ['a trailing # is not an ATX closing sequence', 'Issue #', 'Issue \\#'],
    ['> is not a quote', '> quoted', '\\> quoted'],
    ['an arrow stays as typed', 'pool exhausted -> 500s', 'pool exhausted -> 500s'],
    ['comparisons stay as typed', 'p99 < 5 s, x <= 3, a <- b, <3, 1<2', 'p99 < 5 s, x <= 3, a <- b, <3, 1<2'],
    ['- is not a list item', '- item', '\\- item'],
    ['* is not a list item', '* item', '\\* item'],
    ['+ is not a list item', '+ item', '\\+ item'],
    ['1. is not an ordered list', '1. first', '1\\. first'],
    ['1) is not an ordered list', '12) twelfth', '12\\) twelfth'],
    ['=== is not a setext underline', '===', '\\==='],
    ['--- is not a rule', '---', '\\---'],
    ['backticks are not code', 'run `rm -rf /`', 'run \\`rm -rf /\\`'],
    ['raw HTML is text', '<script>alert(1)</script>', '\\<script>alert(1)\\</script>'],
    ['a processing instruction is text', '<?php x ?>', '\\<?php x ?>'],
    ['an HTML comment is text', '<!-- hidden -->', '\\<!-- hidden -->'],
    ['an autolink is text', '<https://evil.example>', '\\<https://evil.example>'],
    ['an email autolink is text', '<ops@x.example> <5@x.io>', '\\<ops@x.example> \\<5@x.io>'],
    ['an entity stays literal', '&copy; &#169; &#xA9;', '\\&copy; \\&#169; \\&#xA9;'],
    ['a bare & stays readable', 'R&D', 'R&D'],
    ['emphasis characters', '*bold* _it_ ~~gone~~', '\\*bold\\* \\_it\\_ \\~\\~gone\\~\\~'],
    ['an underscore inside a word stays', 'snake_case_name', 'snake_case_name'],
    [
      'brackets cannot make links or references',
      '[x](javascript:alert(1)) [r]: http://e',
      '\\[x\\](javascript:alert(1)) \\[r\\]: http://e',
    ],
    ['an image is text', '![img](http://e/x.png)', '!\\[img\\](http://e/x.png)'],
    ['a user backslash cannot cancel an escape', '\\*', '\\\\\\*'],
    ['dollars are not math', '$x^2$', '\\$x^2\\$'],
    ['a pipe outside a table stays', 'a | b', 'a | b'],
    ['a line break becomes a visible separator, no HTML', 'one\ntwo\r\nthree', 'one · two · three'],
    ['blank lines and the blanks around a break fold into one separator', 'one \n\n \t\ntwo', 'one · two'],
    ['leading indentation cannot make code', '    indented', 'indented'],
    ['control characters are dropped', 'a\u0000b\u0007c', 'abc'],
    ['tabs become spaces', 'a\tb', 'a b'],
  ];
  for (const [name, input, output] of cases) it(name, () => expect(escapeMarkdown(input)).toBe(output));
});

describe('escapeTableCell', () => {
  it('escapes pipes', () => expect(escapeTableCell('a | b || c')).toBe('a \\| b \\|\\| c'));
  it('keeps a cell on one line', () => expect(escapeTableCell('a\n\n| b |')).toBe('a · \\| b \\|'));
  it('escapes block starts too', () => expect(escapeTableCell('- x')).toBe('\\- x'));
});

describe('safeUrl and markdownLink', () => {
  it('allows http, https and mailto', () => {
    expect(safeUrl('https://x.example/a')).toBe('https://x.example/a');
    expect(safeUrl('mailto:a@b.example')).toBe('mailto:a@b.example');
  });
  it('refuses other schemes', () => {
    for (const u of [
      'javascript:alert(1)',
      'data:text/html,x',
      'vbscript:x',
      'ftp://x',
      '//x.example',
      'https://',
    ]) {
      expect(safeUrl(u)).toBeNull();
    }
  });
  it('percent-encodes what could end the destination or split a table', () => {
    expect(safeUrl('https://x.example/a b(c)|d<e>"f`')).toBe(
      'https://x.example/a%20b%28c%29%7Cd%3Ce%3E%22f%60',
    );
  });
  it('keeps entity-like sequences literal', () =>
    expect(safeUrl('https://x.example/?a=1&copy;')).toBe('https://x.example/?a=1&amp;copy;'));
  it('escapes the label, pipes included', () => {
    expect(markdownLink('Runbook [EU] | *new*', 'https://x.example/r')).toBe(
      '[Runbook \\[EU\\] \\| \\*new\\*](https://x.example/r)',
    );
  });
  it('shows an unsafe link as text', () => {
    expect(markdownLink('click', 'javascript:alert(1)')).toBe('click (javascript:alert(1))');
  });
  it('uses the URL when the label is empty', () => {
    expect(markdownLink('', 'https://x.example')).toBe('[https://x.example](https://x.example)');
  });
});

describe('slackToMarkdown', () => {
  const cases: [string, string, string][] = [
    ['a mention becomes the display name', 'ping <@U1>', 'ping @Ada Lovelace'],
    ['a mention with a label prefers the known name', '<@U1|ada>', '@Ada Lovelace'],
    ['an unknown mention keeps its label, else its id', '<@U9|zed> <@U8>', '@zed @U8'],
    ['an id naming an object property is just an id', '<@constructor> <#toString>', '@constructor #toString'],
    ['a display name is escaped', '<@U2>', '@Bob \\*the\\* \\[builder\\]'],
    ['a display name cannot inject HTML', '<@U3>', '@\\<img src=x onerror=alert(1)>'],
    ['a channel becomes #name', 'see <#C1|ops-war-room>', 'see #ops-war-room'],
    ['a channel at the start is not a heading', '<#C1|ops>', '\\#ops'],
    [
      'a labelled link',
      '<https://x.example/d?a=1&amp;b=2|the dashboard>',
      '[the dashboard](https://x.example/d?a=1&b=2)',
    ],
    ['a bare link', '<https://x.example>', '[https://x.example](https://x.example)'],
    ['a mailto link', '<mailto:ops@x.example>', '[ops@x.example](mailto:ops@x.example)'],
    [
      'a link label is escaped',
      '<https://x.example|*not bold* [x]>',
      '[\\*not bold\\* \\[x\\]](https://x.example)',
    ],
    ['an unsafe link is text', '<javascript:alert(1)|click>', 'click (javascript:alert(1))'],
    ['special mentions', '<!here> <!channel> <!subteam^S1|@oncall>', '@here @channel @oncall'],
    ['a date shows its fallback', '<!date^1392734382^{date}|Feb 18th>', 'Feb 18th'],
    ['bold', '*bold*', '**bold**'],
    ['italic, in the underscore style the templates use', '_italic_', '_italic_'],
    ['strike', '~gone~', '~~gone~~'],
    ['nested', '*_both_*', '**_both_**'],
    ['italic around snake_case', '_snake_case_ now', '_snake_case_ now'],
    ['emphasis around a mention', '*<@U1>* took it', '**@Ada Lovelace** took it'],
    ['no emphasis inside words', 'a*b*c snake_case_x', 'a\\*b\\*c snake_case_x'],
    ['no emphasis with a space inside the marker', '* not * _ no _', '\\* not \\* \\_ no \\_'],
    ['doubled markers are literal', '**x**', '\\*\\*x\\*\\*'],
    ['emphasis does not cross lines', '*one\ntwo*', '\\*one · two\\*'],
    ['content inside emphasis is escaped', '*<b>x</b> | y*', '**\\<b>x\\</b> | y**'],
    [
      'an arrow Slack sent encoded is an arrow',
      'pool exhausted -&gt; 500s &amp; rising',
      'pool exhausted -> 500s & rising',
    ],
    ['a mention label cannot become a tag', '&lt;<!subteam^S1|b>&gt;', '\\<b>'],
    ['encoded HTML stays text', '&lt;script&gt;alert(1)&lt;/script&gt;', '\\<script>alert(1)\\</script>'],
    ['entities are decoded once', '&amp;lt; &amp;amp;', '\\&lt; \\&amp;'],
    ['a decoded > at the start is not a quote', '&gt; quoted', '\\> quoted'],
    ['a leading list marker', '- step\n1. next', '\\- step · 1. next'],
    ['backticks are escaped', '`code`', '\\`code\\`'],
    ['private-use placeholders in user text cannot be forged', '\uE0000\uE001', '\uFFFD0\uFFFD'],
  ];
  for (const [name, input, output] of cases)
    it(name, () => expect(slackToMarkdown(input, names)).toBe(output));

  it('escapes pipes everywhere in a cell, labels and names included', () => {
    expect(
      slackToMarkdown('a | *b | c* <https://x.example/p|q|r> <@U4|x|y>', { U4: 'Pat | Ops' }, true),
    ).toBe('a \\| **b \\| c** [q\\|r](https://x.example/p) @Pat \\| Ops');
  });

  it('never leaves a raw pipe, newline or HTML in a cell, whatever the input', () => {
    const nasty = [
      '|||',
      '<@U1|a|b>|<#C1|x|y>',
      '*|*_|_~|~',
      'x\n|---|---|\n| a | b |',
      '<https://a.example/|>|<https://b.example/`|`>',
      '&lt;/td&gt;&lt;td&gt;',
      '<https://x.example|<b>> <<>>',
    ];
    for (const s of nasty) {
      const out = slackToMarkdown(s, names, true);
      expect(out).not.toMatch(/\n/);
      expect(out).not.toMatch(/(?<!\\)\|/);
      expect(out).not.toMatch(OPENS_MARKUP);
    }
  });
});

// Pinned messages reach 40,000 characters. Each of these once took the converter seconds (a scan per
// marker); what is asserted is the output, character for character, not the time.
describe('long and hostile input', () => {
  const N = 40_000;
  const cases: [string, string, string][] = [
    ['a run of *', '*'.repeat(N), '\\*'.repeat(N)],
    ['a run of _', '_'.repeat(N), '\\_'.repeat(N)],
    ['a run of ~', '~'.repeat(N), '\\~'.repeat(N)],
    ['a run of backticks', '`'.repeat(N), '\\`'.repeat(N)],
    ['a run of raw <', '<'.repeat(N), '<'.repeat(N)],
    ['a run of tags', '<b>'.repeat(N / 3), '\\<b>'.repeat(N / 3)],
    ['a run of would-be email autolinks', '<a@'.repeat(N / 3), '\\<a@'.repeat(N / 3)],
    ['a run of < before one @ at the end', `${'<-'.repeat(N / 2)}@`, `${'\\<-'.repeat(N / 2)}@`],
    ['a run of &', '&'.repeat(N), '&'.repeat(N)],
    ['a run of encoded &', '&amp;'.repeat(N / 5), '&'.repeat(N / 5)],
    ['encoded entities stay literal', '&amp;lt;'.repeat(N / 8), '\\&lt;'.repeat(N / 8)],
    ['openers that never close', '*a '.repeat(N / 3), '\\*a '.repeat(N / 3).trimEnd()],
    ['many closed pairs', '*a* _b_ ~c~ '.repeat(N / 12), '**a** _b_ ~~c~~ '.repeat(N / 12).trimEnd()],
    ['nested pairs', '*_~x~_* '.repeat(N / 8), '**_~~x~~_** '.repeat(N / 8).trimEnd()],
    ['openers of each kind left open', '*a _a ~a '.repeat(N / 9), '\\*a \\_a \\~a '.repeat(N / 9).trimEnd()],
    ['one pair around everything', `*${'a _b '.repeat(N / 5)}c*`, `**${'a \\_b '.repeat(N / 5)}c**`],
    ['mentions', '<@U1>'.repeat(N / 5), '@Ada Lovelace'.repeat(N / 5)],
    ['mentions never closed', '<@U1|'.repeat(N / 5), '\\<@U1|'.repeat(N / 5)],
    ['links never closed', '<https://x.example|'.repeat(N / 20), '\\<https://x.example|'.repeat(N / 20)],
    [
      'a line break every other character',
      'a\n'.repeat(N / 2),
      Array(N / 2)
        .fill('a')
        .join(' · '),
    ],
    ['a long run of blanks inside a line', `a${' '.repeat(N)}b`, `a${' '.repeat(N)}b`],
    ['a long run of blanks around a break', `a${' '.repeat(N)}\n${' '.repeat(N)}b`, 'a · b'],
  ];
  for (const [name, input, output] of cases)
    it(name, () => expect(slackToMarkdown(input, names)).toBe(output));

  it('escapes every marker in a 40,000-character cell of mixed markup, keeping it one line', () => {
    const lines = Math.floor(N / 11);
    const out = slackToMarkdown('*_~`<&|[]\n'.repeat(lines), names, true);
    expect(out).not.toMatch(/\n/);
    expect(out).not.toMatch(/(?<!\\)\|/);
    expect(out).not.toMatch(OPENS_MARKUP);
    expect(out.split(' · ')).toEqual(Array(lines).fill('\\*\\_\\~\\`<&\\|\\[\\]'));
  });

  it('plain text escapes the same runs', () => {
    expect(escapeMarkdown('['.repeat(N))).toBe('\\['.repeat(N));
    expect(escapeTableCell('|'.repeat(N))).toBe('\\|'.repeat(N));
    expect(escapeMarkdown(`${'#'.repeat(N)} x ${'#'.repeat(N)}`)).toBe(
      `\\${'#'.repeat(N)} x \\${'#'.repeat(N)}`,
    );
  });
});

describe('what a markdown parser reads in the escaped text', () => {
  const hostile = [
    '<script>alert(1)</script>',
    '&lt;img src=x onerror=alert(1)&gt;',
    '<!-- hidden --> <?x?> <![CDATA[x]]>',
    '&lt;https://evil.example&gt; &lt;ops@x.example&gt;',
    '> quoted\n>> deeper',
    'pool exhausted -&gt; 500s &amp; p99 &lt; 5 s',
    '&amp;copy; &amp;#169;',
    '<@U3> <#C1|x> <https://x.example|*b* <b>>',
  ];

  it('finds no HTML, quote or autolink in a paragraph or a table cell, only the text', () => {
    const lines = ['# Hostile', ''];
    for (const h of hostile) lines.push(slackToMarkdown(h, names), '');
    lines.push('| Text |', '| --- |');
    for (const h of hostile) lines.push(`| ${slackToMarkdown(h, names, true)} |`);
    const doc = `${lines.join('\n')}\n`;
    // MD034: a URL the user typed bare stays a URL (GFM links it, as Slack did); what matters here is MD033
    // (inline HTML), and that no quote, autolink or entity appears.
    const config = { default: true, MD013: false, MD034: false };
    const problems = lint({ strings: { doc }, config }).doc!.map(
      (e) => `${e.lineNumber}: ${e.ruleNames.join('/')} ${e.errorContext ?? ''}`,
    );
    expect(problems).toEqual([]);
    expect(doc).not.toMatch(/(?<!\\)&(?:lt|gt|amp|#x?[0-9a-f]+);/i);
    expect(doc).toContain('pool exhausted -> 500s & p99 < 5 s');
  });
});
