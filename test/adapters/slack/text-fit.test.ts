/** Cutting text to Slack's limits: never past the limit, never inside an entity, a markup span or a grapheme. */
import { describe, expect, it } from 'vitest';
import { escapeMrkdwn } from '../../../src/adapters/slack/mrkdwn.js';
import { ELLIPSIS, fitMrkdwn, fitPlain } from '../../../src/adapters/slack/text-fit.js';
import { hasLoneSurrogate } from '../../support/slack-limits.js';

/** Every way a cut could go wrong at any limit from 1 to `upTo`. */
function expectSafeCuts(text: string, upTo: number, cut: (t: string, max: number) => string): void {
  for (let max = 1; max <= upTo; max++) {
    const out = cut(text, max);
    expect(out.length, `max ${max}`).toBeLessThanOrEqual(max);
    expect(hasLoneSurrogate(out), `max ${max}: ${out}`).toBe(false);
    if (out !== text) expect(out.endsWith(ELLIPSIS), `max ${max}`).toBe(true);
  }
}

describe('fitMrkdwn', () => {
  it('leaves a text that fits as it is, up to the exact limit', () => {
    expect(fitMrkdwn('abc', 3)).toBe('abc');
    expect(fitMrkdwn('', 3)).toBe('');
    expect(fitMrkdwn('a'.repeat(3000), 3000)).toBe('a'.repeat(3000));
    expect(fitMrkdwn('a'.repeat(3001), 3000)).toBe(`${'a'.repeat(2999)}…`);
  });

  it('never cuts inside an entity', () => {
    const text = escapeMrkdwn('&'.repeat(3000));
    expect(text).toHaveLength(15_000);
    const out = fitMrkdwn(text, 3000);
    expect(out).toBe(`${'&amp;'.repeat(599)}…`);
    for (let max = 1; max <= 30; max++)
      expect(fitMrkdwn(escapeMrkdwn('a<b>&c'.repeat(5)), max)).toMatch(/^(?:[^&]|&(?:amp|lt|gt);)*…?$/);
  });

  it('never cuts inside a mention, a channel, a date or a link; it drops the span instead', () => {
    const text =
      'see <@U0BOB> in <#C123|ops> at <!date^1700000000^{time}|10:00> on <https://example.com/a/b|the dashboard>';
    for (let max = 1; max <= text.length; max++) {
      const out = fitMrkdwn(text, max);
      expect(out.length).toBeLessThanOrEqual(max);
      // every `<` opens a span that is closed
      expect(out.replace(/<[^<>]*>/g, '')).not.toMatch(/[<>]/);
    }
    expect(fitMrkdwn(text, 20)).toBe('see <@U0BOB> in…');
  });

  it('never splits an emoji, a skin tone or a ZWJ sequence', () => {
    const text = `ab${'👍🏽'.repeat(3)}${'👩‍👩‍👧‍👦'.repeat(3)}${'🇫🇷'.repeat(3)}é`;
    expectSafeCuts(text, text.length, fitMrkdwn);
    expect(fitMrkdwn(text, 7)).toBe('ab👍🏽…');
    expect(fitMrkdwn(text, 6)).toBe('ab…');
    // a family is one grapheme: it is shown whole or not at all
    const family = '👩‍👩‍👧‍👦';
    expect(fitMrkdwn(`${family}${family}`, family.length + 5)).toBe(`${family}…`);
  });

  it('cuts 40,000 characters of mixed hostile text to the limit', () => {
    const hostile = escapeMrkdwn(`${'<&>😀 '.repeat(5000)}`) + '<@U1>'.repeat(2000);
    const out = fitMrkdwn(hostile, 3000);
    expect(out.length).toBeLessThanOrEqual(3000);
    expect(out.length).toBeGreaterThan(2980);
    expect(hasLoneSurrogate(out)).toBe(false);
    expect(out.replace(/&(?:amp|lt|gt);/g, '')).not.toContain('&');
  });

  it('gives nothing for a limit too small to hold the ellipsis', () => {
    expect(fitMrkdwn('abc', 0)).toBe('');
  });
});

describe('fitPlain', () => {
  it('counts entities and angle brackets as the characters they are', () => {
    expect(fitPlain('a &amp; <b>', 6)).toBe('a &am…');
  });

  it('never splits a grapheme, at every limit', () => {
    const text = `x${'🧑🏿‍🚀'.repeat(4)}e\u0301${'😀'.repeat(4)}`;
    expectSafeCuts(text, text.length, fitPlain);
  });

  it('cuts a title of emoji for a 150-character header', () => {
    const out = fitPlain(`INC-1: ${'🔥'.repeat(200)}`, 150);
    expect(out).toBe(`INC-1: ${'🔥'.repeat(71)}…`);
    expect(hasLoneSurrogate(out)).toBe(false);
  });
});
