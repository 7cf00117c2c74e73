/** Envelopes' payloads as Slack sends them over Socket Mode: a slash command and an Events API delivery. */
import type { Harness } from './muster-harness.js';

/** An app-level token of the shape Slack issues (the fake accepts any `xapp-` token). */
export const APP_TOKEN = 'xapp-1-A0MUSTER-1234-abcdef0123456789';

/** A slash command as Socket Mode carries it: the same fields as the HTTP form, as a JSON object. */
export const slashCommand = (h: Harness, text: string, channel = 'C0GENERAL') => ({
  token: 'legacy-verification-token',
  team_id: 'T0MUSTER',
  team_domain: 'muster-sandbox',
  channel_id: channel,
  channel_name: 'general',
  user_id: 'U0ALICE',
  user_name: 'alice',
  command: '/incident',
  text,
  api_app_id: 'A0MUSTER',
  is_enterprise_install: 'false',
  response_url: h.slack.responseUrl(),
  trigger_id: `${Date.now()}.1.trigger`,
});

export const eventCallback = (event: Record<string, unknown>, eventId: string) => ({
  token: 'legacy-verification-token',
  team_id: 'T0MUSTER',
  api_app_id: 'A0MUSTER',
  event,
  type: 'event_callback',
  event_id: eventId,
  event_time: Math.floor(Date.now() / 1000),
  authorizations: [
    { team_id: 'T0MUSTER', user_id: 'U0MUSTERBOT', is_bot: true, is_enterprise_install: false },
  ],
});
