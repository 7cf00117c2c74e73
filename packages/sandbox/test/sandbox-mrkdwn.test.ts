/** The page's mrkdwn parser (packages/sandbox/ui/mrkdwn.js): Slack's formatting as a tree, never as HTML. */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a browser module written in plain JavaScript, without type declarations
import { formatSlackDate, parseMrkdwn, parsePlain } from '../ui/mrkdwn.js';
// @ts-expect-error: a browser module written in plain JavaScript, without type declarations
import { counted } from '../ui/plural.js';

type Node = { t: string; text?: string; children?: Node[]; [k: string]: unknown };
const parse = (s: string): Node[] => parseMrkdwn(s) as Node[];

describe('parseMrkdwn', () => {
  it.each([
    ['*bold*', [{ t: 'b', children: [{ t: 'text', text: 'bold' }] }]],
    ['_italic_', [{ t: 'i', children: [{ t: 'text', text: 'italic' }] }]],
    ['~gone~', [{ t: 's', children: [{ t: 'text', text: 'gone' }] }]],
    ['`x < y`', [{ t: 'code', text: 'x < y' }]],
    ['a*b*c', [{ t: 'text', text: 'a*b*c' }]],
    ['snake_case_name', [{ t: 'text', text: 'snake_case_name' }]],
    ['* not bold *', [{ t: 'text', text: '* not bold *' }]],
  ])('formats %s', (input, nodes) => {
    expect(parse(input)).toEqual(nodes);
  });

  it('nests emphasis and keeps code unformatted', () => {
    expect(parse('*bold _and italic_* `*raw*`')).toEqual([
      {
        t: 'b',
        children: [
          { t: 'text', text: 'bold ' },
          { t: 'i', children: [{ t: 'text', text: 'and italic' }] },
        ],
      },
      { t: 'text', text: ' ' },
      { t: 'code', text: '*raw*' },
    ]);
  });

  it('reads mentions, channels, special mentions, links and dates', () => {
    expect(
      parse(
        '<@U0BOB> <@U0BOB|bob> <#C01|inc-1> <!here> <https://x.example/a?b=1&amp;c=2|the *doc*> <!date^1700000000^{time}|22:13 UTC>',
      ),
    ).toEqual([
      { t: 'user', id: 'U0BOB', label: null },
      { t: 'text', text: ' ' },
      { t: 'user', id: 'U0BOB', label: 'bob' },
      { t: 'text', text: ' ' },
      { t: 'channel', id: 'C01', label: 'inc-1' },
      { t: 'text', text: ' ' },
      { t: 'special', name: 'here', label: '@here' },
      { t: 'text', text: ' ' },
      {
        t: 'link',
        url: 'https://x.example/a?b=1&c=2',
        children: [
          { t: 'text', text: 'the ' },
          { t: 'b', children: [{ t: 'text', text: 'doc' }] },
        ],
      },
      { t: 'text', text: ' ' },
      { t: 'date', seconds: 1700000000, format: '{time}', fallback: '22:13 UTC' },
    ]);
  });

  it('unescapes what Slack escapes, so a typed <script> stays text', () => {
    expect(parse('&lt;script&gt;alert(1)&lt;/script&gt; &amp;')).toEqual([
      { t: 'text', text: '<script>alert(1)</script> &' },
    ]);
  });

  it('turns known emoji shortcodes into characters and leaves unknown ones', () => {
    expect(parse(':warning: :no_such_emoji:')).toEqual([
      { t: 'emoji', name: 'warning', char: '⚠️' },
      { t: 'text', text: ' :no_such_emoji:' },
    ]);
    expect(parsePlain(':pushpin: pinned')).toEqual([
      { t: 'emoji', name: 'pushpin', char: '📌' },
      { t: 'text', text: ' pinned' },
    ]);
  });

  it('reads quotes, line breaks and preformatted blocks', () => {
    expect(parse('first\n&gt; quoted\n&gt; more\nlast')).toEqual([
      { t: 'text', text: 'first' },
      { t: 'quote', children: [{ t: 'text', text: 'quoted' }, { t: 'br' }, { t: 'text', text: 'more' }] },
      { t: 'text', text: 'last' },
    ]);
    expect(parse('run:\n```\nnpm *start*\n```\ndone')).toEqual([
      { t: 'text', text: 'run:' },
      { t: 'pre', text: 'npm *start*' },
      { t: 'text', text: 'done' },
    ]);
  });
});

describe('parseMrkdwn quotes, as Slack renders them', () => {
  const quote = (...children: Node[]) => ({ t: 'quote', children });
  const text = (t: string) => ({ t: 'text', text: t });

  it('quotes a line an app sends with a raw `>` (the page confirmation quotes the page message)', () => {
    expect(parse(':rotating_light: Paged *checkout*\n> About a third of card orders fail with 502')).toEqual([
      { t: 'emoji', name: 'rotating_light', char: '🚨' },
      text(' Paged '),
      { t: 'b', children: [text('checkout')] },
      quote(text('About a third of card orders fail with 502')),
    ]);
  });

  it('quotes the escaped `&gt;` form Slack carries for typed text, with or without a space', () => {
    expect(parse('&gt;no space\n&gt; one space')).toEqual([
      quote(text('no space'), { t: 'br' }, text('one space')),
    ]);
  });

  it('groups consecutive quoted lines, mixing both forms, and formats inside the quote', () => {
    expect(parse('> *bold* line\n&gt; and <@U0BOB>\nafter')).toEqual([
      quote({ t: 'b', children: [text('bold')] }, text(' line'), { t: 'br' }, text('and '), {
        t: 'user',
        id: 'U0BOB',
        label: null,
      }),
      text('after'),
    ]);
  });

  it('quotes the rest of the message after `>>>` (also escaped)', () => {
    expect(parse('before\n>>> one\ntwo')).toEqual([
      text('before'),
      quote(text('one'), { t: 'br' }, text('two')),
    ]);
    expect(parse('&gt;&gt;&gt;one\n> two')).toEqual([quote(text('one'), { t: 'br' }, text('> two'))]);
  });

  it('keeps a `>` that does not start a line, and never nests quotes', () => {
    expect(parse('pool exhausted -&gt; 500s, a > b')).toEqual([text('pool exhausted -> 500s, a > b')]);
    expect(parse('> > still one level')).toEqual([quote(text('> still one level'))]);
    expect(parse('>')).toEqual([quote()]);
  });

  it('reads a hostile quote: 40,000 characters, an emoji at the cut, `&` and a fake link', () => {
    const long = `> ${'x'.repeat(40_000)}👍 &amp; &lt;https://evil.example|click&gt;`;
    const [node] = parse(long);
    expect(node).toEqual(quote(text(`${'x'.repeat(40_000)}👍 & <https://evil.example|click>`)));
  });
});

describe('formatSlackDate', () => {
  const opts = { timeZone: 'UTC', locale: 'en-US', now: Date.UTC(2023, 10, 14, 23, 0) };
  it('fills the tokens of a date format in the reader zone', () => {
    expect(formatSlackDate(1700000000, '{date_short_pretty} {time}', opts)).toBe('Today 22:13');
    expect(formatSlackDate(1700000000, '{date_num} {time_secs}', opts)).toBe('2023-11-14 22:13:20');
    expect(formatSlackDate(1700000000 - 86400, '{date_pretty}', opts)).toBe('Yesterday');
    expect(formatSlackDate(1600000000, '{date_short}', opts)).toBe('Sep 13, 2020');
  });

  const now = Date.UTC(2023, 10, 14, 12, 0);
  const ago = (deltaSeconds: number, locale = 'en-US') =>
    formatSlackDate(now / 1000 + deltaSeconds, '{ago}', { timeZone: 'UTC', locale, now });

  it.each([
    [-10, 'just now'],
    [20, 'just now'],
    [-60, '1 minute ago'],
    [-89, '1 minute ago'],
    [-120, '2 minutes ago'],
    [-59 * 60, '59 minutes ago'],
    [-3600, '1 hour ago'],
    [-2 * 3600, '2 hours ago'],
    [-23 * 3600, '23 hours ago'],
    [-24 * 3600, '1 day ago'],
    [-3 * 86400, '3 days ago'],
    [60, 'in 1 minute'],
    [45 * 60, 'in 45 minutes'],
    [3600, 'in 1 hour'],
    [5 * 3600, 'in 5 hours'],
    [86400, 'in 1 day'],
    [2 * 86400, 'in 2 days'],
  ])('says %i s from now as "%s" for {ago}, singular for one', (delta, words) => {
    expect(ago(delta)).toBe(words);
  });

  it("words {ago} in the reader's locale, with its own plurals", () => {
    expect(ago(-3600, 'de-DE')).toBe('vor 1 Stunde');
    expect(ago(-2 * 3600, 'de-DE')).toBe('vor 2 Stunden');
    expect(formatSlackDate(now / 1000 - 60, 'Declared {ago}.', { locale: 'en-GB', now })).toBe(
      'Declared 1 minute ago.',
    );
  });
});

describe('counted', () => {
  it.each([
    [0, '0 members'],
    [1, '1 member'],
    [2, '2 members'],
    [21, '21 members'],
  ])('says %i as "%s"', (n, words) => {
    expect(counted(n, 'member', 'members')).toBe(words);
  });
});
