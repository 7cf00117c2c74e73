/**
 * The world of the golden postmortem stories: the real app on a fixed clock in Europe/Berlin, the fake Slack
 * and PagerDuty (one Checkout service), a catalog written by the story, and the uploaded draft read back with
 * the fakes' port numbers, which change every run, replaced.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type RunningFakePagerDuty, startFakePagerDuty } from '../fakes/fake-pagerduty.js';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';
import { FixedClock } from './fixed-clock.js';
import { type Harness, startMuster } from './muster-harness.js';
import { tempDir } from './temp-dir.js';

/** Monday 2026-11-23 in Berlin (CET, UTC+1): `berlin(9, 52)` is 08:52 UTC. */
export const berlin = (hh: number, mm: number): number => Date.UTC(2026, 10, 23, hh - 1, mm);

/** The fakes listen on a new port each run; nothing else in the document varies. */
export const withoutPorts = (md: string): string => md.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT');

export interface StoryWorld {
  clock: FixedClock;
  /** Moves the clock to `hh:mm` Berlin time on the story's day. */
  at(hh: number, mm: number): void;
  slack: FakeSlack;
  pd: RunningFakePagerDuty;
  h: Harness;
  /** The markdown of the last file uploaded, ports replaced. */
  lastUpload(): string;
  stop(): Promise<void>;
}

/** Starts the story at `hh:mm` Berlin time; `catalog` writes the catalog from PagerDuty's routing key. */
export async function startStoryWorld(opts: {
  startAt: [hh: number, mm: number];
  catalog: (routingKey: string) => string;
  webhookSecret: string;
}): Promise<StoryWorld> {
  const clock = new FixedClock(berlin(...opts.startAt));
  const slack = await startFakeSlack({ clock: () => clock.now(), callClock: () => clock.now() });
  const pd = await startFakePagerDuty({
    now: () => clock.now(),
    services: [{ id: 'PSVC001', name: 'Checkout', escalationPolicyId: 'PEP0001' }],
  });
  const dir = tempDir();
  writeFileSync(join(dir, 'catalog.yaml'), opts.catalog(pd.routingKey));
  const h = await startMuster({
    clock,
    slack,
    dir,
    env: {
      INCIDENT_TIMEZONE: 'Europe/Berlin',
      PAGERDUTY_EVENTS_URL: pd.eventsUrl,
      PAGERDUTY_API_URL: pd.apiUrl,
      PAGERDUTY_WEBHOOK_SECRET: opts.webhookSecret,
    },
    overrides: { random: () => 0.5, pagerDutyTimeoutMs: 2000 },
  });
  return {
    clock,
    at: (hh, mm) => clock.set(berlin(hh, mm)),
    slack,
    pd,
    h,
    lastUpload() {
      const done = slack.lastCall('files.completeUploadExternal')!;
      const fileId = (done.args.files as { id: string }[])[0]!.id;
      return withoutPorts(slack.workspace.fileContent(fileId)!.toString('utf8'));
    },
    async stop() {
      await h.stop();
      await pd.close();
    },
  };
}

/** Compares `markdown` byte for byte with the golden file; UPDATE_GOLDEN=1 rewrites the file first. */
export function expectGolden(file: string, markdown: string): void {
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, markdown);
  expect(markdown).toBe(readFileSync(file, 'utf8'));
}
