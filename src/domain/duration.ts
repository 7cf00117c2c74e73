/**
 * How long something took or has lasted, as people read it in Slack and in the postmortem: one rule for
 * both, so the channel and the document never disagree about the same incident.
 */

/** A length of time, with its human form (`1 h 05 min`). */
export interface DurationView {
  ms: number;
  text: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * `42 s`, `12 min`, `1 h 05 min`, `2 d 3 h 05 min`: days from 24 h on; whole units, rounded down; a negative
 * length counts as zero.
 */
export function formatDuration(ms: number): string {
  const t = Math.max(0, Math.floor(ms));
  if (t < MINUTE) return `${Math.floor(t / 1000)} s`;
  if (t < HOUR) return `${Math.floor(t / MINUTE)} min`;
  const mm = String(Math.floor((t % HOUR) / MINUTE)).padStart(2, '0');
  if (t < DAY) return `${Math.floor(t / HOUR)} h ${mm} min`;
  return `${Math.floor(t / DAY)} d ${Math.floor((t % DAY) / HOUR)} h ${mm} min`;
}

export const durationView = (ms: number): DurationView => ({ ms: Math.max(0, ms), text: formatDuration(ms) });
