/**
 * Refreshing the App Home of its recent viewers, on in-memory ports: one pass for a burst of changes, one more
 * for changes during a pass, nothing for a change rolled back, the most recent viewers first up to the cap, a
 * Slack error logged without stopping the pass, and which notices refresh at all.
 */
import { describe, expect, it } from 'vitest';
import { AppHomePublisher, changesHome } from '../../../src/adapters/slack/app-home-publisher.js';
import type { Notice } from '../../../src/domain/notices.js';
import type { Log } from '../../../src/domain/ports.js';
import { AfterAck } from '../../../src/runtime/after-ack.js';
import { RecordingChat } from '../../fakes/recording-chat.js';
import { silentLog, unitPorts } from '../../support/unit-ports.js';

const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);
const DAY = 24 * 60 * 60 * 1000;

/** A chat whose next views.publish waits until `release()`: a pass held open while changes arrive. */
class HeldChat extends RecordingChat {
  private held: { entered: () => void; gate: Promise<void> } | null = null;

  /** Holds the next publish; resolves `entered` once it has started. */
  holdNext(): { entered: Promise<void>; release: () => void } {
    let release = () => {};
    let entered = () => {};
    const started = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.held = { entered, gate };
    return { entered: started, release };
  }

  override async publishHome(userId: string, view: unknown): Promise<void> {
    await super.publishHome(userId, view);
    const held = this.held;
    this.held = null;
    if (held) {
      held.entered();
      await held.gate;
    }
  }
}

/** A log that keeps its warnings. */
function warningLog(): Log & { warnings: { obj: object; msg: string | undefined }[] } {
  const warnings: { obj: object; msg: string | undefined }[] = [];
  const log = {
    ...silentLog,
    warn: (obj: object | string, msg?: string) => {
      warnings.push(typeof obj === 'string' ? { obj: {}, msg: obj } : { obj, msg });
    },
    child: () => log,
    warnings,
  };
  return log;
}

async function setUp(maxViewers?: number) {
  const ports = unitPorts({ now: T0 });
  const chat = new HeldChat();
  const log = warningLog();
  const afterAck = new AfterAck(log as unknown as ConstructorParameters<typeof AfterAck>[0]);
  const wired = { ...ports, chat, log, afterAck };
  const homes = new AppHomePublisher(() => wired, maxViewers);
  await ports.store.homeViewers.opened('U0CAROL', T0 - 31 * DAY);
  await ports.store.homeViewers.opened('U0DAVE', T0 - 3 * DAY);
  await ports.store.homeViewers.opened('U0ALICE', T0 - 2 * DAY);
  await ports.store.homeViewers.opened('U0BOB', T0 - DAY);
  const published = () => chat.callsOf('publishHome').map(([user]) => user);
  return { ports, chat, log, afterAck, homes, published };
}

describe('refreshing the App Home', () => {
  it('makes one pass for a burst of changes: each viewer of the last 30 days once, the most recent first', async () => {
    const { afterAck, homes, published } = await setUp();
    for (let i = 0; i < 5; i++) homes.refreshSoon();
    await afterAck.idle();
    expect(published()).toEqual(['U0BOB', 'U0ALICE', 'U0DAVE']);
  });

  it('refreshes at most the cap of viewers a pass, the most recent', async () => {
    const { afterAck, homes, published } = await setUp(2);
    homes.refreshSoon();
    await afterAck.idle();
    expect(published()).toEqual(['U0BOB', 'U0ALICE']);
  });

  it('makes one more pass for the changes that arrive during a pass', async () => {
    const { chat, afterAck, homes, published } = await setUp(2);
    const held = chat.holdNext();
    homes.refreshSoon();
    await held.entered;
    for (let i = 0; i < 3; i++) homes.refreshSoon();
    held.release();
    await afterAck.idle();
    expect(published()).toEqual(['U0BOB', 'U0ALICE', 'U0BOB', 'U0ALICE']);
  });

  it('refreshes nothing for a change whose transaction rolled back, and still refreshes the next', async () => {
    const { ports, afterAck, homes, published } = await setUp();
    await expect(
      ports.store.tx(async () => {
        homes.refreshSoon();
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await afterAck.idle();
    expect(published()).toEqual([]);
    await ports.store.tx(async () => {
      homes.refreshSoon();
    });
    await afterAck.idle();
    expect(published()).toEqual(['U0BOB', 'U0ALICE', 'U0DAVE']);
  });

  it('logs a Slack error for one viewer and goes on with the next', async () => {
    const { chat, log, afterAck, homes, published } = await setUp();
    chat.failNext('publishHome', 'not_enabled');
    homes.refreshSoon();
    await afterAck.idle();
    expect(published()).toEqual(['U0BOB', 'U0ALICE', 'U0DAVE']);
    expect(log.warnings).toEqual([
      { obj: { error: 'not_enabled', user: 'U0BOB' }, msg: 'could not publish the App Home' },
      { obj: { viewers: 3, failed: 1 }, msg: 'some App Homes were not refreshed' },
    ]);
  });

  it('logs a store it cannot read and refreshes nothing; the next change tries again', async () => {
    const ports = unitPorts({ now: T0 });
    const chat = new RecordingChat();
    const log = warningLog();
    const afterAck = new AfterAck(log as unknown as ConstructorParameters<typeof AfterAck>[0]);
    await ports.store.homeViewers.opened('U0BOB', T0);
    let down = true;
    const viewers = ports.store.homeViewers;
    const store = Object.create(ports.store, {
      homeViewers: {
        value: {
          opened: viewers.opened.bind(viewers),
          recent: (since: number, limit: number) =>
            down ? Promise.reject(new Error('database is away')) : viewers.recent(since, limit),
        },
      },
    }) as typeof ports.store;
    const homes = new AppHomePublisher(() => ({ ...ports, store, chat, log, afterAck }));
    homes.refreshSoon();
    await afterAck.idle();
    expect(chat.callsOf('publishHome')).toEqual([]);
    expect(log.warnings.map((w) => w.msg)).toEqual([
      'could not read the App Homes to refresh; the next change tries again',
    ]);
    down = false;
    homes.refreshSoon();
    await afterAck.idle();
    expect(chat.callsOf('publishHome').map(([user]) => user)).toEqual(['U0BOB']);
  });

  it('records whoever opens the Home and publishes theirs; a failed publish does not fail the opening', async () => {
    const { ports, chat, homes, published } = await setUp();
    ports.clock.advance(DAY);
    chat.failNext('publishHome', 'ratelimited');
    await homes.opened('U0CAROL');
    expect(published()).toEqual(['U0CAROL']);
    expect(await ports.store.homeViewers.recent(T0, 1)).toEqual(['U0CAROL']);
    const view = chat.callsOf('publishHome')[0]?.[1] as { type?: string } | undefined;
    expect(view?.type).toBe('home');
  });
});

describe('the changes that refresh the Home', () => {
  const kinds = (...k: string[]) => k.map((kind) => ({ kind }) as unknown as Notice);

  it.each([
    'incident_opened',
    'channel_not_created',
    'severity_changed',
    'status_changed',
    'incident_resolved',
    'incident_reopened',
    'role_assigned',
    'action_recorded',
    'action_done',
    'follow_up_created',
    'follow_up_synced',
    'entry_redacted',
  ])('%s refreshes it', (kind) => {
    expect(changesHome(kinds(kind))).toBe(true);
    expect(changesHome(kinds('note_added', kind))).toBe(true);
  });

  it.each([
    'note_added',
    'update_posted',
    'page_delivered',
    'entry_pinned',
    'postmortem_written',
    'follow_ups_overdue',
  ])('%s does not', (kind) => {
    expect(changesHome(kinds(kind))).toBe(false);
  });

  it('nothing told, nothing refreshed', () => {
    expect(changesHome([])).toBe(false);
  });
});
