/**
 * Where a page goes: the catalog service named by the user and the PagerDuty API that can reach it with this
 * configuration. Every "cannot" is a DomainError whose message tells the user what to do, so nothing is
 * queued for a page that could never be delivered.
 */
import type { Config } from '../../config.js';
import { DomainError } from '../../domain/errors.js';
import type { PageVia } from '../../domain/page.js';
import type { CatalogService } from '../../domain/ports.js';
import type { Ports } from '../ports.js';
import { requireService } from '../catalog/find-service.js';

export type { PageVia };

/** Events API v2 when the target has a routing key (it needs no token); else REST when token and From are set. */
export function pageVia(config: Config, target: NonNullable<CatalogService['pagerduty']>): PageVia | null {
  if (target.routingKey) return 'events';
  if (target.rest && config.PAGERDUTY_API_TOKEN && config.PAGERDUTY_FROM) return 'rest';
  return null;
}

/** The service and how to page it; DomainError when it has no PagerDuty target or PagerDuty is not configured. */
export function pageTarget(
  ports: Pick<Ports, 'catalog' | 'config'>,
  name: string,
): { service: CatalogService; via: PageVia } {
  const service = requireService(ports, name);
  const target = service.pagerduty;
  if (!target) {
    throw new DomainError(
      'page.no_target',
      `*${service.name}* has no PagerDuty target in the catalog, so it cannot be paged. Reach its owner, ${service.owner}${
        service.teamChannel ? ` (<#${service.teamChannel}>)` : ''
      }, directly, or add \`pagerduty: routing_key\` to the service.`,
      { service: service.name },
    );
  }
  const via = pageVia(ports.config, target);
  if (!via) {
    const missing = [
      ports.config.PAGERDUTY_API_TOKEN ? null : 'PAGERDUTY_API_TOKEN',
      ports.config.PAGERDUTY_FROM ? null : 'PAGERDUTY_FROM',
    ].filter(Boolean);
    throw new DomainError(
      'page.not_configured',
      `PagerDuty is not configured for *${service.name}*: its target is a REST service id, and ${missing.join(' and ')} ${
        missing.length > 1 ? 'are' : 'is'
      } not set. Set ${missing.length > 1 ? 'them' : 'it'}, or give the service an Events API \`routing_key\`. Nothing was paged.`,
      { service: service.name },
    );
  }
  return { service, via };
}

/** The escalation policy `oncall` reads; DomainError when the service has none or no REST token is set. */
export function onCallPolicy(
  ports: Pick<Ports, 'catalog' | 'config'>,
  name: string,
): { service: CatalogService; escalationPolicyId: string } {
  const service = requireService(ports, name);
  const policy = service.pagerduty?.rest?.escalationPolicyId;
  if (!policy) {
    throw new DomainError(
      'oncall.no_policy',
      `*${service.name}* has no PagerDuty escalation policy in the catalog (\`pagerduty: escalation_policy_id\`), so Muster cannot say who is on call.`,
      { service: service.name },
    );
  }
  if (!ports.config.PAGERDUTY_API_TOKEN) {
    throw new DomainError(
      'oncall.not_configured',
      'PagerDuty is not configured: PAGERDUTY_API_TOKEN is not set, so Muster cannot ask who is on call.',
    );
  }
  return { service, escalationPolicyId: policy };
}
