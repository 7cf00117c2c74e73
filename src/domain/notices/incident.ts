/** What the incident use cases tell people, as data; the notifier decides how it looks. */
import type { Incident } from '../incident.js';

export type IncidentNotice =
  /** a change was stored, but some optional follow-up steps (headline, topic, announcement...) failed */
  { kind: 'steps_failed'; incident: Incident; steps: readonly string[] };
