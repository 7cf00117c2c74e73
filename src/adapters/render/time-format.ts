import { FixedOffsetZone, IANAZone, type Zone } from 'luxon';
import type { ZoneRules } from '../../domain/impact.js';

/** The formatting functions `toPostmortemData` takes, for one IANA zone. */
export interface TimeFormatters {
  timeZone: string;
  /** `2025-10-26` */
  formatDate: (ms: number) => string;
  /** `02:30`; a wall time that occurs twice (clocks going back) carries its offset: `02:30 (+02:00)` */
  formatTime: (ms: number) => string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// A long-lived formatter sees many incidents; past this many cached minutes the cache starts again.
const CACHE_LIMIT = 100_000;

const pad = (n: number): string => String(n).padStart(2, '0');

const offsetText = (minutes: number): string => {
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
};

const zoneOf = (zone: string): Zone => {
  // UTC has no rules: a fixed zone formats it without loading the time zone data.
  const z: Zone = zone === 'UTC' ? FixedOffsetZone.utcInstance : IANAZone.create(zone);
  if (!z.isValid)
    throw new Error(`Unknown time zone "${zone}": use an IANA name such as Europe/Berlin or UTC.`);
  return z;
};

/** The offsets of `zone` from the time zone database, for reading `HH:MM` people type; throws on an unknown zone. */
export function zoneRules(zone: string): ZoneRules {
  const z = zoneOf(zone);
  return { name: zone, offsetMinutes: (ms) => z.offset(ms) };
}

/** Builds date and time formatters for `zone`, correct across DST changes; throws on an unknown zone. */
export function makeTimeFormatters(zone: string): TimeFormatters {
  const z = zoneOf(zone);
  // Offsets change only on whole minutes, so one lookup per minute serves every entry in it;
  // a 10,000-entry timeline would otherwise spend most of its time in Intl.
  const cache = new Map<number, { date: string; time: string }>();
  // hour -> its offset when no change happens within 3 h either side (so no wall time repeats), else null
  const quietHours = new Map<number, number | null>();

  const quietOffset = (ms: number): number | null => {
    const hour = Math.floor(ms / HOUR);
    let offset = quietHours.get(hour);
    if (offset === undefined) {
      const before = z.offset((hour - 3) * HOUR);
      const during = z.offset(hour * HOUR);
      offset = before === during && during === z.offset((hour + 4) * HOUR) ? during : null;
      if (quietHours.size >= CACHE_LIMIT) quietHours.clear();
      quietHours.set(hour, offset);
    }
    return offset;
  };

  const wallParts = (minute: number): { date: string; time: string } => {
    const ms = minute * MINUTE;
    const quiet = quietOffset(ms);
    const offset = quiet ?? z.offset(ms);
    const wall = new Date(ms + offset * MINUTE);
    const date = `${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`;
    let time = `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`;
    if (quiet === null && isRepeatedWallTime(ms, offset)) time += ` (${offsetText(offset)})`;
    return { date, time };
  };

  // The same wall time exists under another offset in force nearby (a fall-back hour).
  const isRepeatedWallTime = (ms: number, offset: number): boolean => {
    for (const probe of [ms - 3 * HOUR, ms + 3 * HOUR]) {
      const other = z.offset(probe);
      if (other === offset) continue;
      const twin = ms + (offset - other) * MINUTE;
      if (z.offset(twin) === other) return true;
    }
    return false;
  };

  const parts = (ms: number): { date: string; time: string } => {
    const minute = Math.floor(ms / MINUTE);
    let p = cache.get(minute);
    if (!p) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      p = wallParts(minute);
      cache.set(minute, p);
    }
    return p;
  };

  return {
    timeZone: zone,
    formatDate: (ms) => parts(ms).date,
    formatTime: (ms) => parts(ms).time,
  };
}
