/**
 * The Slack app manifest against the code: every bot event it subscribes to has a handler on the event
 * processor, and every handled event is subscribed to (else Slack never sends it); the Home tab is on, and the
 * Messages tab stays as the weekly follow-up DM needs it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { manifestBotEvents } from '../../../packages/sandbox/src/manifest-subscriptions.js';
import { AppHomePublisher } from '../../../src/adapters/slack/app-home-publisher.js';
import type { EventProcessor } from '../../../src/adapters/slack/event-processor.js';
import { registerEventHandlers } from '../../../src/adapters/slack/events/index.js';
import { projectRoot } from '../../../src/adapters/project-root.js';
import { IncidentChannels } from '../../../src/app/timeline/incident-channels.js';
import { unitPorts } from '../../support/unit-ports.js';

const MANIFEST = join(projectRoot(), 'manifest.yml');

/** The event types handlers are registered for. */
function handledTypes(): string[] {
  const types: string[] = [];
  const recorder = { on: (type: string) => types.push(type) } as unknown as EventProcessor;
  const ports = unitPorts();
  registerEventHandlers(
    recorder,
    ports,
    new AppHomePublisher(() => ports),
    new IncidentChannels(ports.store),
  );
  return types;
}

describe('the Slack app manifest', () => {
  it('subscribes to exactly the events Muster handles', () => {
    // message.channels and message.groups are the one `message` event, split by conversation type
    const subscribed = new Set(
      manifestBotEvents(MANIFEST).map((e) => (e.startsWith('message.') ? 'message' : e)),
    );
    expect([...subscribed].sort()).toEqual([...new Set(handledTypes())].sort());
    expect(subscribed).toContain('app_home_opened');
  });

  it('turns the Home tab on and keeps the Messages tab read-only', () => {
    const manifest = parse(readFileSync(MANIFEST, 'utf8')) as {
      features: { app_home: Record<string, unknown> };
    };
    expect(manifest.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: true,
    });
  });
});
