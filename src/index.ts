/**
 * Muster's public entry: what a program built on Muster may use. The sandbox (packages/sandbox) is such a
 * program and imports Muster only from here (a Biome rule enforces it), so everything below is a promise kept
 * across refactors; anything not listed is Muster's own business and may move.
 */

// Configure and build: read the environment once, build the app, start it.
export { buildApp, type MusterApp, type Overrides } from './compose.js';
export {
  type Config,
  ConfigError,
  httpAddress,
  isLoopback,
  loadConfig,
  readEnv,
  withoutSlack,
} from './config.js';
export { projectRoot } from './adapters/project-root.js';

// The ports a program hands to buildApp or reads back.
export { type Clock, systemClock } from './domain/ports.js';

// Serving beside Muster on its HTTP server (MusterApp.http.fallback, MusterApp.gate): the same body limit and
// the same answers as Muster's own routes.
export {
  BodyTooLargeError,
  type FallbackHandler,
  MAX_BODY_BYTES,
  type RequestGate,
  readBody,
  refuseTooLarge,
  sendJson,
} from './adapters/http/server.js';

// Signing requests as Slack and PagerDuty sign what they send to Muster.
export { slackSignatureHeaders } from './adapters/slack/request-signature.js';
export { signPagerDutyWebhook } from './adapters/pagerduty/signature.js';

// The incident vocabulary: the /incident grammar's usage lines, references, severities, roles, durations.
export { type CommandKind, SUMMARY, USAGE } from './domain/command.js';
export { incidentRef, severityLabel } from './domain/incident.js';
export { ROLE_TITLES, ROLES } from './domain/roles.js';
export { formatDuration } from './domain/postmortem.js';
export { counted } from './domain/plural.js';

// The postmortem of a stored incident, as `muster export` writes it.
export { exportPostmortem } from './compose-export.js';
