/** The polling fallback on in-memory ports, with a tracker in memory that answers as it is told. */
import { describe, expect, it } from 'vitest';
import {
  MAX_CALLS_PER_RUN,
  pollFollowUps,
  type TrackerPauses,
} from '../../../src/app/follow-ups/poll-issues.js';
import {
  type Tracker,
  TrackerError,
  type TrackerIssueRef,
  type TrackerIssueState,
} from '../../../src/domain/ports/tracker.js';
import { declared } from '../declared.js';
import { linkedAction, OPS_12 } from './linked-action.js';

/** A Jira in memory: `answer` decides what `state` says; every call is counted. */
class ScriptedTracker implements Tracker {
  readonly kind = 'jira' as const;
  readonly asked: string[] = [];
  answer: (ref: TrackerIssueRef) => TrackerIssueState = (ref) => ({ ref, closed: false, assignee: null });
  async state(ref: TrackerIssueRef): Promise<TrackerIssueState> {
    this.asked.push(ref.key);
    return this.answer(ref);
  }
  create(): never {
    throw new Error('not in this test');
  }
  find(): never {
    throw new Error('not in this test');
  }
  findUser(): never {
    throw new Error('not in this test');
  }
}

async function world(issues = 1) {
  const { ports: base, incident } = await declared();
  const jira = new ScriptedTracker();
  const ports = { ...base, trackers: { get: (kind: string) => (kind === 'jira' ? jira : null) } };
  const items = [];
  for (let n = 1; n <= issues; n++) {
    const ref = { ...OPS_12, id: String(10_000 + n), key: `OPS-${n}` };
    items.push((await linkedAction(base, incident, ref, `item ${n}`)).item);
  }
  return { ports, jira, items };
}

describe('pollFollowUps', () => {
  it('asks about at most MAX_CALLS_PER_RUN issues a run; the rest at the next runs', async () => {
    const { ports, jira } = await world(MAX_CALLS_PER_RUN + 5);
    await pollFollowUps(ports);
    expect(jira.asked).toHaveLength(MAX_CALLS_PER_RUN);
    await pollFollowUps(ports);
    expect(jira.asked).toHaveLength(MAX_CALLS_PER_RUN + 5);
    // all checked just now: nothing is due
    await pollFollowUps(ports);
    expect(jira.asked).toHaveLength(MAX_CALLS_PER_RUN + 5);
  });

  it('pauses a tracker that rate-limits without saying how long for a minute', async () => {
    const { ports, jira, items } = await world(2);
    jira.answer = () => {
      throw new TrackerError('rate_limited', 'Jira is rate limiting Muster', 429);
    };
    const pauses: TrackerPauses = new Map();
    await pollFollowUps(ports, pauses);
    expect(jira.asked).toEqual(['OPS-1']);
    expect(pauses.get('jira')).toBe(ports.clock.now() + 60_000);
    jira.answer = (ref) => ({ ref, closed: true, assignee: null });
    ports.clock.advance(59_999);
    await pollFollowUps(ports, pauses);
    expect(jira.asked).toEqual(['OPS-1']);
    ports.clock.advance(1);
    await pollFollowUps(ports, pauses);
    expect(jira.asked).toEqual(['OPS-1', 'OPS-1', 'OPS-2']);
    for (const i of items) expect((await ports.store.actions.get(i.id))?.doneAt).not.toBeNull();
  });

  it('stamps an issue the tracker refuses to tell about, so that it is asked again in 15 minutes, not every run', async () => {
    const { ports, jira, items } = await world(1);
    jira.answer = () => {
      throw new TrackerError('not_found', 'Jira has no issue OPS-1', 404);
    };
    await pollFollowUps(ports);
    await pollFollowUps(ports);
    expect(jira.asked).toEqual(['OPS-1']);
    expect((await ports.store.followUps.get(items[0]!.id))?.checkedAt).toBe(ports.clock.now());
  });

  it('lets a failure that is not the tracker’s through (a bug is not swallowed)', async () => {
    const { ports, jira } = await world(1);
    jira.answer = () => {
      throw new TypeError('boom');
    };
    await expect(pollFollowUps(ports)).rejects.toThrow('boom');
  });
});
