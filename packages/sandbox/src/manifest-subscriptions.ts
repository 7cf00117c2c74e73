/**
 * Which Events API events the app subscribed to, read from its Slack app manifest (`settings.event_subscriptions
 * .bot_events`), so the sandbox delivers what Slack would deliver to the installed app and nothing more.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { SlackEvent } from './slack-workspace-types.js';

/** Slack's message.* subscriptions are one event type split by conversation type. */
const MESSAGE_SCOPES: Record<string, string> = {
  'message.channels': 'channel',
  'message.groups': 'group',
  'message.im': 'im',
  'message.mpim': 'mpim',
};

/** A predicate over events for a list of bot_events names. */
export function subscriptionFilter(botEvents: readonly string[]): (event: SlackEvent) => boolean {
  const messageTypes = new Set(botEvents.flatMap((e) => (MESSAGE_SCOPES[e] ? [MESSAGE_SCOPES[e]] : [])));
  const others = new Set(botEvents.filter((e) => !MESSAGE_SCOPES[e]));
  return (event) =>
    event.type === 'message' ? messageTypes.has(String(event['channel_type'] ?? '')) : others.has(event.type);
}

/** The bot_events of the manifest at `path`; throws when it cannot be read or lists none. */
export function manifestBotEvents(path: string): string[] {
  const manifest = parse(readFileSync(path, 'utf8')) as {
    settings?: { event_subscriptions?: { bot_events?: unknown } };
  } | null;
  const events = manifest?.settings?.event_subscriptions?.bot_events;
  if (!Array.isArray(events) || events.length === 0) {
    throw new Error(`${path} subscribes to no bot events (settings.event_subscriptions.bot_events)`);
  }
  return events.map(String);
}
