/** Slack message timestamps ("1700000000.000100"): seconds and microseconds, unique per workspace. */

const TS_PATTERN = /^\d{1,12}\.\d{1,6}$/;

export const isTs = (ts: string): boolean => TS_PATTERN.test(ts);

/** A ts as microseconds, for ordering and bounds; NaN when malformed (whole seconds are accepted). */
export function tsToMicros(ts: string): number {
  if (!TS_PATTERN.test(ts) && !/^\d{1,12}$/.test(ts)) return Number.NaN;
  const [sec = '0', frac = ''] = ts.split('.');
  return Number(sec) * 1_000_000 + Number(frac.padEnd(6, '0'));
}

/** The ts for a time in microseconds. */
export function formatTs(micros: number): string {
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}
