import { describe, expect, it } from 'vitest';
import { makeTimeFormatters } from '../../../src/adapters/render/time-format.js';

const utc = (iso: string): number => Date.parse(iso);

describe('makeTimeFormatters', () => {
  const berlin = makeTimeFormatters('Europe/Berlin');

  // 2025-10-26 is the last Sunday of October: at 01:00 UTC Berlin goes from 03:00 CEST back to 02:00 CET.
  const autumn: [string, string, string][] = [
    ['2025-10-25T22:30:00Z', '2025-10-26', '00:30'],
    ['2025-10-25T23:59:00Z', '2025-10-26', '01:59'],
    ['2025-10-26T00:00:00Z', '2025-10-26', '02:00 (+02:00)'],
    ['2025-10-26T00:30:00Z', '2025-10-26', '02:30 (+02:00)'],
    ['2025-10-26T00:59:00Z', '2025-10-26', '02:59 (+02:00)'],
    ['2025-10-26T01:00:00Z', '2025-10-26', '02:00 (+01:00)'],
    ['2025-10-26T01:30:00Z', '2025-10-26', '02:30 (+01:00)'],
    ['2025-10-26T02:00:00Z', '2025-10-26', '03:00'],
    ['2025-10-26T22:59:00Z', '2025-10-26', '23:59'],
    ['2025-10-26T23:00:00Z', '2025-10-27', '00:00'],
  ];
  for (const [iso, date, time] of autumn) {
    it(`shows ${iso} as ${date} ${time} in Berlin (clocks go back)`, () => {
      expect(berlin.formatDate(utc(iso))).toBe(date);
      expect(berlin.formatTime(utc(iso))).toBe(time);
    });
  }

  // 2025-03-30: at 01:00 UTC Berlin jumps from 02:00 CET to 03:00 CEST; no wall time repeats.
  const spring: [string, string][] = [
    ['2025-03-30T00:59:00Z', '01:59'],
    ['2025-03-30T01:00:00Z', '03:00'],
    ['2025-03-30T01:30:00Z', '03:30'],
  ];
  for (const [iso, time] of spring) {
    it(`shows ${iso} as ${time} in Berlin (clocks go forward)`, () =>
      expect(berlin.formatTime(utc(iso))).toBe(time));
  }

  it('formats UTC without offsets', () => {
    const f = makeTimeFormatters('UTC');
    expect(f.timeZone).toBe('UTC');
    expect(f.formatDate(utc('2025-10-26T00:30:59Z'))).toBe('2025-10-26');
    expect(f.formatTime(utc('2025-10-26T00:30:59Z'))).toBe('00:30');
  });

  it('formats times before 1970', () => {
    expect(makeTimeFormatters('UTC').formatTime(utc('1969-12-31T23:59:30Z'))).toBe('23:59');
  });

  it('refuses an unknown zone, naming it', () => {
    expect(() => makeTimeFormatters('Europe/Atlantis')).toThrow(/Europe\/Atlantis/);
  });
});
