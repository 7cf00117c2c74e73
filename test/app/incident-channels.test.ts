/** Which incident a channel is: read once per channel, kept for good once found, never kept when not found. */
import { describe, expect, it } from 'vitest';
import { IncidentChannels } from '../../src/app/timeline/incident-channels.js';
import { declared } from './declared.js';

/** The in-memory store's incidents, with the reads by channel counted. */
async function counted() {
  const { ports, incident } = await declared();
  ports.store.incidents.update(incident.number, { channelId: 'C0INC1' }, ports.clock.now());
  const reads: string[] = [];
  const store = {
    incidents: {
      byChannel: (channelId: string) => {
        reads.push(channelId);
        return ports.store.incidents.byChannel(channelId);
      },
    },
  };
  return { ports, incident, reads, store };
}

describe('IncidentChannels', () => {
  it("reads a channel's incident once, then answers its every event from memory", async () => {
    const { incident, reads, store } = await counted();
    const channels = new IncidentChannels(store);
    for (let i = 0; i < 5; i++) expect(await channels.of('C0INC1')).toEqual({ number: incident.number });
    expect(reads).toEqual(['C0INC1']);
  });

  it('keeps the number only, so a change to the incident is never answered stale', async () => {
    const { ports, incident, store } = await counted();
    const channels = new IncidentChannels(store);
    await channels.of('C0INC1');
    ports.store.incidents.update(
      incident.number,
      { status: 'resolved', title: 'renamed' },
      ports.clock.now(),
    );
    expect(await channels.of('C0INC1')).toStrictEqual({ number: incident.number });
  });

  it('asks again about a channel that was no incident’s, which may become one’s', async () => {
    const { ports, reads, store } = await counted();
    const channels = new IncidentChannels(store);
    expect(await channels.of('C0LATER')).toBeNull();
    expect(await channels.of('C0LATER')).toBeNull();
    const second = await ports.store.incidents.create({
      title: 'queue backs up',
      severity: 3,
      teamId: 'T0TEAM',
      declaredBy: 'U0BOB',
      declaredAt: ports.clock.now(),
    });
    ports.store.incidents.update(second.number, { channelId: 'C0LATER' }, ports.clock.now());
    expect(await channels.of('C0LATER')).toEqual({ number: second.number });
    expect(await channels.of('C0LATER')).toEqual({ number: second.number });
    expect(reads).toEqual(['C0LATER', 'C0LATER', 'C0LATER']);
  });

  it('remembers at most its limit of channels, forgetting the first remembered', async () => {
    const { ports, reads, store } = await counted();
    for (const channelId of ['C0INC2', 'C0INC3']) {
      const other = await ports.store.incidents.create({
        title: `incident in ${channelId}`,
        severity: 3,
        teamId: 'T0TEAM',
        declaredBy: 'U0BOB',
        declaredAt: ports.clock.now(),
      });
      ports.store.incidents.update(other.number, { channelId }, ports.clock.now());
    }
    const channels = new IncidentChannels(store, 2);
    await channels.of('C0INC1');
    await channels.of('C0INC2');
    await channels.of('C0INC3'); // forgets C0INC1
    await channels.of('C0INC2');
    await channels.of('C0INC3');
    expect(reads).toEqual(['C0INC1', 'C0INC2', 'C0INC3']);
    await channels.of('C0INC1');
    expect(reads).toEqual(['C0INC1', 'C0INC2', 'C0INC3', 'C0INC1']);
  });
});
