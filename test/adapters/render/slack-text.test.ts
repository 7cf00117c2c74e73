import { describe, expect, it } from 'vitest';
import { readSlackToken, slackToPlain } from '../../../src/adapters/render/slack-text.js';
import { escapeMrkdwn } from '../../../src/adapters/slack/mrkdwn.js';

const names = { U1: 'Ada Lovelace' };

describe('slackToPlain', () => {
  const cases: [string, string, string][] = [
    ['mentions become display names', 'ping <@U1> and <@U9|zed>', 'ping @Ada Lovelace and @zed'],
    ['channels become #name', 'in <#C1|ops>', 'in #ops'],
    [
      'a labelled link shows label and URL',
      '<https://x.example/d|dashboard>',
      'dashboard (https://x.example/d)',
    ],
    ['a bare link shows the URL', '<https://x.example/d>', 'https://x.example/d'],
    ['a mailto link shows the address', '<mailto:ops@x.example>', 'ops@x.example'],
    ['special mentions', '<!here> <!subteam^S1|@oncall>', '@here @oncall'],
    ['entities are decoded once', '&lt;b&gt; &amp;lt;', '<b> &lt;'],
    ['formatting characters are kept', '*bold* _it_ ~s~', '*bold* _it_ ~s~'],
    ['line endings are normalised', 'a\r\nb', 'a\nb'],
    ['unknown angle text stays', '<not markup>', '<not markup>'],
  ];
  for (const [name, input, output] of cases) it(name, () => expect(slackToPlain(input, names)).toBe(output));
});

describe('readSlackToken', () => {
  it('reads a link with a label containing a bar', () => {
    expect(readSlackToken('https://x.example|a|b', {})).toEqual({
      kind: 'link',
      url: 'https://x.example',
      label: 'a|b',
    });
  });
  it('decodes entities in URLs', () => {
    expect(readSlackToken('https://x.example/?a=1&amp;b=2', {})).toEqual({
      kind: 'link',
      url: 'https://x.example/?a=1&b=2',
      label: null,
    });
  });
});

describe('escapeMrkdwn', () => {
  it('encodes the three characters Slack reads as markup', () => {
    expect(escapeMrkdwn('<@U1> & <!here>')).toBe('&lt;@U1&gt; &amp; &lt;!here&gt;');
  });
});
