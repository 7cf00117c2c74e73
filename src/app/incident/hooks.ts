/**
 * What other capabilities add to an incident's life, as lists `buildApp` writes out in order: work in the
 * declaring transaction, follow-ups once the channel exists, work in the resolving transaction, and lines on
 * the headline. Nothing registers itself on import; a hook runs only where it is listed.
 *
 * A hook is given the ports its use case was given (`P`, every port as buildApp wires them by default): the
 * use case names only the ports it uses itself, and the type checker makes its caller supply what the hooks
 * listed need.
 */
import type { Incident } from '../../domain/incident.js';
import type { Ports } from '../ports.js';
import type { DeclareInput } from './declare-incident.js';
import type { HeadlineView } from './headline.js';

/** Runs inside the declaring transaction (services attached, automatic pages queued...). */
export type DeclareHook<P = Ports> = (ports: P, incident: Incident, input: DeclareInput) => Promise<void>;

/** Runs after provisioning (runbooks posted, team channels told...). Failures are logged. */
export type ProvisionedHook<P = Ports> = (ports: P, incident: Incident) => Promise<void>;

/** Runs inside the resolving transaction (pages resolved through the outbox...); a throw undoes the resolution. */
export type ResolveHook<P = Ports> = (ports: P, incident: Incident) => Promise<void>;

/** Extra headline lines (services, runbooks, pages, postmortem). */
export type HeadlineExtras<P = Ports> = (
  incidentNumber: number,
  ports: P,
) => Promise<Partial<Omit<HeadlineView, 'incident' | 'holders' | 'now'>>>;

export interface IncidentHooks<P = Ports> {
  /** in order: a hook may read what an earlier one wrote (automatic paging reads the attached services) */
  declare: readonly DeclareHook<P>[];
  provisioned: readonly ProvisionedHook<P>[];
  resolved: readonly ResolveHook<P>[];
  headline: readonly HeadlineExtras<P>[];
}

/** The ports of a use case that runs hooks of kind `K`: those it uses (`P`), and the hooks, given the same ports. */
export type WithHooks<P, K extends keyof IncidentHooks> = P & { hooks: Pick<IncidentHooks<P>, K> };
