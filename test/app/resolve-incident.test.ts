/** Resolving on in-memory ports: the summary, the timeline, and resolve hooks inside the same transaction. */
import { describe, expect, it } from 'vitest';
import type { ResolveHook } from '../../src/app/incident/hooks.js';
import { resolveIncident } from '../../src/app/incident/resolve-incident.js';
import { declared } from './declared.js';

describe('resolveIncident', () => {
  it('stores the resolution time, the summary and its entry', async () => {
    const { ports } = await declared();
    ports.clock.advanceMinutes(42);
    await resolveIncident(ports, { number: 1, summary: 'index rebuilt', by: 'U0ALICE' });
    expect(await ports.store.incidents.get(1)).toMatchObject({
      status: 'resolved',
      resolvedAt: ports.clock.now(),
      summary: 'index rebuilt',
    });
    expect((await ports.store.timeline.list(1)).at(-1)).toMatchObject({
      kind: 'resolved',
      text: 'Resolved: index rebuilt',
      meta: { from: 'investigating', to: 'resolved', summary: 'index rebuilt' },
    });
    expect(await ports.store.incidents.listOpen()).toEqual([]);
  });

  it('runs resolve hooks inside the resolving transaction: a failing hook undoes the resolution', async () => {
    let fail = true;
    const hook: ResolveHook = async (d, incident) => {
      await d.store.outbox.add(
        { incidentNumber: incident.number, kind: 'pagerduty.resolve', payload: { pageId: 1 } },
        0,
      );
      await d.store.timeline.add(
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
    const { ports } = await declared({ hooks: { resolved: [hook] } });
    const before = await ports.store.incidents.get(1);
    await expect(resolveIncident(ports, { number: 1, summary: null, by: 'U0ALICE' })).rejects.toThrow(
      'outbox full',
    );
    expect(await ports.store.incidents.get(1)).toEqual(before);
    expect((await ports.store.timeline.list(1)).map((e) => e.kind)).toEqual(['declared', 'role']);
    expect(await ports.store.outbox.pending()).toEqual([]);

    fail = false;
    await resolveIncident(ports, { number: 1, summary: 'index rebuilt', by: 'U0ALICE' });
    expect(await ports.store.incidents.get(1)).toMatchObject({
      status: 'resolved',
      summary: 'index rebuilt',
    });
    expect((await ports.store.timeline.list(1)).map((e) => e.text)).toContain('hook ran');
    expect(await ports.store.outbox.pending()).toHaveLength(1);
  });

  it('refuses to resolve twice', async () => {
    const { ports } = await declared();
    await resolveIncident(ports, { number: 1, summary: null, by: 'U0ALICE' });
    await expect(resolveIncident(ports, { number: 1, summary: 'again', by: 'U0ALICE' })).rejects.toThrow(
      /already resolved/,
    );
    expect((await ports.store.incidents.get(1))!.summary).toBeNull();
  });
});
