/** One duration rule for Slack and the postmortem: whole units rounded down, days from 24 h on. */
import { describe, expect, it } from 'vitest';
import { durationView, formatDuration } from '../../src/domain/duration.js';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;

describe('formatDuration', () => {
  const table: [string, number, string][] = [
    ['negative', -5 * S, '0 s'],
    ['zero', 0, '0 s'],
    ['just under a second', 999, '0 s'],
    ['59 s', 59 * S + 999, '59 s'],
    ['1 min', MIN, '1 min'],
    ['59 min', 59 * MIN + 59 * S, '59 min'],
    ['1 h', H, '1 h 00 min'],
    ['1 h 05 min', H + 5 * MIN, '1 h 05 min'],
    ['23 h 59', 23 * H + 59 * MIN + 59 * S, '23 h 59 min'],
    ['24 h', D, '1 d 0 h 00 min'],
    ['26 h 05 min', D + 2 * H + 5 * MIN, '1 d 2 h 05 min'],
    ['47 h', 47 * H, '1 d 23 h 00 min'],
    ['47 h 59', 47 * H + 59 * MIN, '1 d 23 h 59 min'],
    ['48 h', 48 * H, '2 d 0 h 00 min'],
    ['multi-day', 9 * D + 3 * H + 7 * MIN + 30 * S, '9 d 3 h 07 min'],
    ['a fraction of a millisecond', 60_000.9, '1 min'],
  ];
  it.each(table)('%s (%d ms) is "%s"', (_name, ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('durationView', () => {
  it('keeps the milliseconds (never negative) beside the text', () => {
    expect(durationView(H + 5 * MIN)).toEqual({ ms: H + 5 * MIN, text: '1 h 05 min' });
    expect(durationView(-1)).toEqual({ ms: 0, text: '0 s' });
  });
});
