/** The page's @name completion, its pure part (packages/sandbox/ui/mentions.js): what is typed, who matches, what is written. */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a browser module written in plain JavaScript, without type declarations
import { insertMention, mentionAt, mentionMatches } from '../ui/mentions.js';

interface Person {
  id: string;
  name: string;
  displayName: string;
  realName: string;
  isBot: boolean;
}
const person = (id: string, name: string, displayName: string, realName: string, isBot = false): Person => ({
  id,
  name,
  displayName,
  realName,
  isBot,
});
const PEOPLE = [
  person('U0ALICE', 'alice', 'Alice', 'Alice Chen'),
  person('U0BOB', 'bob', 'Bob', 'Bob Martinez'),
  person('U0CAROL', 'carol', 'Carol', 'Carol Nguyen'),
  person('U0DAVE', 'dave', 'Dave', 'Dave Okafor'),
  person('U0DEPLOYBOT', 'deploybot', 'Deploy Bot', 'Deploy Bot', true),
  person('U0DANA', 'dana.b', 'dana', 'Dana Bell'),
];
const ids = (query: string) => (mentionMatches(PEOPLE, query) as Person[]).map((p) => p.id);

describe('mentionAt', () => {
  it.each([
    ['@', 1, { start: 0, query: '' }],
    ['/incident role comms @da', 24, { start: 21, query: 'da' }],
    ['cc (@bo', 7, { start: 4, query: 'bo' }],
    ['hello @bob and @ca more', 18, { start: 15, query: 'ca' }],
    ['@dana.b', 7, { start: 0, query: 'dana.b' }],
  ])('finds the @word typed in %j before caret %i', (text, caret, at) => {
    expect(mentionAt(text, caret)).toEqual(at);
  });

  it.each([
    ['mail alice@example.com', 22],
    ['no mention here', 15],
    ['@bob is', 7],
    ['@bob', 0],
  ])('finds none in %j before caret %i (an address, plain text, a word after the name)', (text, caret) => {
    expect(mentionAt(text, caret)).toBeNull();
  });
});

describe('mentionMatches', () => {
  it('matches the start of the user name, display name or any word of the full name, any case', () => {
    expect(ids('DA')).toEqual(['U0DANA', 'U0DAVE']);
    expect(ids('martinez')).toEqual(['U0BOB']);
    expect(ids('dep')).toEqual(['U0DEPLOYBOT']);
    expect(ids('zed')).toEqual([]);
  });

  it('puts an exact user name first and apps after people; at most eight', () => {
    expect(ids('d')).toEqual(['U0DANA', 'U0DAVE', 'U0DEPLOYBOT']);
    expect(ids('dave')).toEqual(['U0DAVE']);
    const many = Array.from({ length: 20 }, (_, i) => person(`U${i}`, `sam${i}`, `Sam ${i}`, `Sam ${i}`));
    expect(mentionMatches(many, 'sam')).toHaveLength(8);
    expect(ids('')).toHaveLength(6);
  });
});

describe('insertMention', () => {
  const dave = PEOPLE[3]!;
  it('replaces the typed @word with @name and a space, the caret after it', () => {
    const text = '/incident role comms @da';
    expect(insertMention(text, text.length, mentionAt(text, text.length), dave)).toEqual({
      text: '/incident role comms @dave ',
      caret: 27,
    });
  });

  it('keeps the text after the caret, and a space already there', () => {
    const text = 'ask @d about it';
    expect(insertMention(text, 6, mentionAt(text, 6), dave)).toEqual({
      text: 'ask @dave about it',
      caret: 10,
    });
  });
});
