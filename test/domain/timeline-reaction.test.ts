import { describe, expect, it } from 'vitest';
import {
  isSlackTs,
  isTimelineReaction,
  messageSourceKey,
  permalinkTsPart,
  reactionBaseName,
} from '../../src/domain/timeline-reaction.js';

describe('timeline reactions', () => {
  it.each([
    ['pushpin', 'pushpin'],
    ['pushpin::skin-tone-2', 'pushpin'],
    [':pushpin:', 'pushpin'],
    [':raised_hand::skin-tone-6:', 'raised_hand'],
    ['Pushpin', 'pushpin'],
    ['+1', '+1'],
  ])('reads %s as %s', (name, base) => expect(reactionBaseName(name)).toBe(base));

  it.each([
    ['pushpin', ['pushpin'], true],
    ['pushpin::skin-tone-5', ['pushpin'], true],
    ['round_pushpin', ['pushpin', 'round_pushpin'], true],
    ['thumbsup', ['pushpin'], false],
    ['pushpin_extra', ['pushpin'], false],
    ['', ['pushpin'], false],
    ['pushpin', [':pushpin:'], true],
  ])('%s with %j is a timeline reaction: %s', (name, list, expected) =>
    expect(isTimelineReaction(name, list)).toBe(expected),
  );

  it('keys a message by channel and ts, whoever reacts', () => {
    expect(messageSourceKey('C1', '1700000000.000100')).toBe('message:C1:1700000000.000100');
    expect(messageSourceKey('C1', '1700000000.000100')).toBe(messageSourceKey('C1', '1700000000.000100'));
    expect(messageSourceKey('C1', '1700000000.000100')).not.toBe(messageSourceKey('C2', '1700000000.000100'));
  });

  it('writes the ts of a permalink and recognises a ts', () => {
    expect(permalinkTsPart('1700000000.000100')).toBe('p1700000000000100');
    expect(isSlackTs('1700000000.000100')).toBe(true);
    for (const bad of ['', '1700000000', 'abc.def', 12, null, undefined, '1.2.3'])
      expect(isSlackTs(bad)).toBe(false);
  });
});
