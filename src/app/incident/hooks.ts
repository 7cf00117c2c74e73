/**
 * What other capabilities add to an incident's life, as lists `buildApp` writes out in order: work in the
 * declaring transaction, follow-ups once the channel exists, work in the resolving transaction, and lines on
 * the headline. Nothing registers itself on import; a hook runs only where it is listed.
 */
import type { Incident } from '../../domain/incident.js';
import type { HeadlineView } from '../../adapters/slack/blocks/headline.js';
import type { Ports } from '../ports.js';
import type { DeclareInput } from './declare-incident.js';

/** Runs inside the declaring transaction (services attached, automatic pages queued...). */
export type DeclareHook = (deps: Ports, incident: Incident, input: DeclareInput) => void;

/** Runs after provisioning (runbooks posted, team channels told...). Failures are logged. */
export type ProvisionedHook = (deps: Ports, incident: Incident) => Promise<void>;

/** Runs inside the resolving transaction (pages resolved through the outbox...); a throw undoes the resolution. */
export type ResolveHook = (deps: Ports, incident: Incident) => void;

/** Extra headline lines (services, runbooks, pages, postmortem). */
export type HeadlineExtras = (
  incidentNumber: number,
  deps: Ports,
) => Partial<Omit<HeadlineView, 'incident' | 'holders' | 'now'>>;

export interface IncidentHooks {
  /** in order: a hook may read what an earlier one wrote (automatic paging reads the attached services) */
  declare: readonly DeclareHook[];
  provisioned: readonly ProvisionedHook[];
  resolved: readonly ResolveHook[];
  headline: readonly HeadlineExtras[];
}
