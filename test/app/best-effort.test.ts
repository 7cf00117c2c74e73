/** Optional steps after a stored change: each runs whatever the others did; failures are logged and told once. */
import { describe, expect, it } from 'vitest';
import { bestEffort } from '../../src/app/incident/best-effort.js';
import type { Incident } from '../../src/domain/incident.js';
import type { Notice } from '../../src/domain/notices.js';
import { ChatError, type Log } from '../../src/domain/ports.js';

const incident = { number: 3 } as Incident;

const ports = () => {
  const warnings: object[] = [];
  const told: Notice[][] = [];
  const log = {
    debug: () => undefined,
    info: () => undefined,
    warn: (obj: object) => warnings.push(obj),
    error: () => undefined,
    child: () => log,
  } as unknown as Log;
  return {
    warnings,
    told,
    log,
    notifier: { notify: async (n: readonly Notice[]) => void told.push([...n]) },
  };
};

describe('bestEffort', () => {
  it('runs every step in order, logs each failure with its code, and tells the failures once', async () => {
    const p = ports();
    const ran: string[] = [];
    const failed = await bestEffort(p, incident, [
      ['pin the headline', async () => ran.push('pin')],
      [
        'set the topic',
        async () => {
          ran.push('topic');
          throw new ChatError('conversations.setTopic', 'ratelimited');
        },
      ],
      [
        'announce',
        async () => {
          ran.push('announce');
          throw new Error('socket hang up');
        },
      ],
    ]);
    expect(ran).toEqual(['pin', 'topic', 'announce']);
    expect(failed).toEqual(['set the topic (ratelimited)', 'announce (socket hang up)']);
    expect(p.warnings).toEqual([
      { incident: 3, step: 'set the topic', error: 'ratelimited' },
      { incident: 3, step: 'announce', error: 'socket hang up' },
    ]);
    expect(p.told).toEqual([[{ kind: 'steps_failed', incident, steps: failed }]]);
  });

  it('tells nothing when every step went through', async () => {
    const p = ports();
    expect(await bestEffort(p, incident, [['pin the headline', async () => undefined]])).toEqual([]);
    expect(p.told).toEqual([]);
  });
});
