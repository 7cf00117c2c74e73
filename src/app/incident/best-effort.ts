/**
 * Optional steps after a stored change (headline, topic, announcement, invitations...). A failure never undoes
 * the change: it is logged, and the failed steps are told once (`steps_failed`).
 */
import type { Incident } from '../../domain/incident.js';
import { ChatError } from '../../domain/ports.js';
import type { Ports } from '../ports.js';

/** Runs `steps` in order, each to its end whatever the others did; returns what failed, as `what (code)`. */
export async function bestEffort(
  ports: Pick<Ports, 'log' | 'notifier'>,
  incident: Incident,
  steps: [string, () => Promise<unknown>][],
): Promise<string[]> {
  const failed: string[] = [];
  for (const [what, step] of steps) {
    try {
      await step();
    } catch (e) {
      const code = e instanceof ChatError ? e.code : (e as Error).message;
      ports.log.warn({ incident: incident.number, step: what, error: code }, 'optional step failed');
      failed.push(`${what} (${code})`);
    }
  }
  if (failed.length) await ports.notifier.notify([{ kind: 'steps_failed', incident, steps: failed }]);
  return failed;
}
