/** Text people typed in Slack, shown again: escaped exactly once, broadcasts and user groups defused. */
import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, slackPlain, slackText } from '../../../src/adapters/slack/mrkdwn.js';

const WJ = '\u2060';

describe('slackText', () => {
  it.each([
    ['@channel', '<!channel>', `@${WJ}channel`],
    ['@here', '<!here>', `@${WJ}here`],
    ['@everyone', '<!everyone>', `@${WJ}everyone`],
    ['labelled @here', '<!here|here>', `@${WJ}here`],
    ['labelled @channel', '<!channel|@channel>', `@${WJ}channel`],
    ['the old @group alias', '<!group>', `@${WJ}group`],
    ['a user group', '<!subteam^S0123ABC>', `@${WJ}S0123ABC`],
    ['a labelled user group', '<!subteam^S0123ABC|@oncall-db>', `@${WJ}oncall-db`],
    ['a special mention Slack may add', '<!admins>', `@${WJ}admins`],
  ])('defuses %s', (_name, input, shown) => {
    const out = slackText(`ping ${input} now`);
    expect(out).toBe(`ping ${shown} now`);
    expect(out).not.toMatch(/<!/);
  });

  it('keeps people, channels, dates and links as Slack sent them', () => {
    const text =
      'ask <@U0BOB> and <@W12|carol> in <#C1|ops>, <!date^1700000000^{time}|10:00>, <https://x.example/?a=1&amp;b=2|dash>, <mailto:a@b.example>';
    expect(slackText(text)).toBe(text);
  });

  it('escapes entities exactly once: Slack text stays, stray characters are escaped', () => {
    expect(slackText('a &lt; b &amp;&amp; c &gt; d')).toBe('a &lt; b &amp;&amp; c &gt; d');
    expect(slackText('a < b & c > d')).toBe('a &lt; b &amp; c &gt; d');
    expect(slackText('&amp;lt;')).toBe('&amp;lt;');
    expect(slackText('<not markup> <javascript:alert(1)|x> <>')).toBe(
      '&lt;not markup&gt; &lt;javascript:alert(1)|x&gt; &lt;&gt;',
    );
  });

  it('defuses a broadcast hidden in a label without escaping its entities twice', () => {
    expect(slackText('<!subteam^S1|@a&amp;b>')).toBe(`@${WJ}a&amp;b`);
  });
});

describe('escapeMrkdwn', () => {
  it('escapes plain text in one pass', () => {
    expect(escapeMrkdwn('a & <!channel> &amp;')).toBe('a &amp; &lt;!channel&gt; &amp;amp;');
  });
});

describe('slackPlain', () => {
  it('gives plain text for plain_text fields: entities decoded, markup read', () => {
    expect(slackPlain('a &lt; b &amp; <@U1|bob> <!here> <https://x.example|dash>')).toBe(
      'a < b & @bob @here dash (https://x.example)',
    );
  });
});
