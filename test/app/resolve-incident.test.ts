/** Resolving on in-memory ports: the summary, the timeline, and resolve hooks inside the same transaction. */
import { describe, expect, it } from 'vitest';
import type { ResolveHook } from '../../src/app/incident/hooks.js';
import { resolveIncident } from '../../src/app/incident/resolve-incident.js';
import { declared } from './declared.js';

describe('resolveIncident', () => {
  it('stores the resolution time, the summary and its entry', () => {
    const { ports } = declared();
    ports.clock.advanceMinutes(42);
    resolveIncident(ports, { number: 1, summary: 'index rebuilt', by: 'U0ALICE' });
    expect(ports.store.incidents.get(1)).toMatchObject({
      status: 'resolved',
      resolvedAt: ports.clock.now(),
      summary: 'index rebuilt',
    });
    expect(ports.store.timeline.list(1).at(-1)).toMatchObject({
      kind: 'resolved',
      text: 'Resolved: index rebuilt',
      meta: { from: 'investigating', to: 'resolved', summary: 'index rebuilt' },
    });
    expect(ports.store.incidents.listOpen()).toEqual([]);
  });

  it('runs resolve hooks inside the resolving transaction: a failing hook undoes the resolution', () => {
    let fail = true;
    const hook: ResolveHook = (d, incident) => {
      d.store.outbox.add(
        { incidentNumber: incident.number, kind: 'pagerduty.resolve', payload: { pageId: 1 } },
        0,
      );
      d.store.timeline.add(
        {
          incidentNumber: incident.number,
          kind: 'note',
          text: 'hook ran',
          actor: 'muster',
          occurredAt: d.clock.now(),
          sourceKey: 'hook',
        },
        d.clock.now(),
      );
      if (fail) throw new Error('outbox full');
    };
    const { ports } = declared({ hooks: { resolved: [hook] } });
    const before = ports.store.incidents.get(1);
    expect(() => resolveIncident(ports, { number: 1, summary: null, by: 'U0ALICE' })).toThrow('outbox full');
    expect(ports.store.incidents.get(1)).toEqual(before);
    expect(ports.store.timeline.list(1).map((e) => e.kind)).toEqual(['declared', 'role']);
    expect(ports.store.outbox.pending()).toEqual([]);

    fail = false;
    resolveIncident(ports, { number: 1, summary: 'index rebuilt', by: 'U0ALICE' });
    expect(ports.store.incidents.get(1)).toMatchObject({ status: 'resolved', summary: 'index rebuilt' });
    expect(ports.store.timeline.list(1).map((e) => e.text)).toContain('hook ran');
    expect(ports.store.outbox.pending()).toHaveLength(1);
  });

  it('refuses to resolve twice', () => {
    const { ports } = declared();
    resolveIncident(ports, { number: 1, summary: null, by: 'U0ALICE' });
    expect(() => resolveIncident(ports, { number: 1, summary: 'again', by: 'U0ALICE' })).toThrow(
      /already resolved/,
    );
    expect(ports.store.incidents.get(1)!.summary).toBeNull();
  });
});
