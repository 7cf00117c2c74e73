/**
 * The sandbox's PagerDuty: the fake PagerDuty with the on-call people of the sandbox workspace (Bob and Carol
 * take turns) and one PagerDuty service per paged demo catalog service, whose routing keys the demo catalog
 * reads from the environment.
 */
import { alphanumeric, FakePagerDuty } from './pagerduty-api.js';

export interface SandboxPagerDuty {
  fake: FakePagerDuty;
  /** environment variables the demo catalog's `${…}` references read: the services' routing keys */
  env: Record<string, string>;
}

/** Creates the sandbox's fake PagerDuty, served under `basePath`. */
export function createSandboxPagerDuty(opts: { basePath: string; now: () => number }): SandboxPagerDuty {
  const checkoutKey = alphanumeric(32);
  const paymentsKey = alphanumeric(32);
  const fake = new FakePagerDuty({
    basePath: opts.basePath,
    now: opts.now,
    users: [
      { id: 'PBOBMAR', name: 'Bob Martinez', email: 'bob@example.com' },
      { id: 'PCARNGU', name: 'Carol Nguyen', email: 'carol@example.com' },
      { id: 'PMUSTER', name: 'Muster Bot', email: 'muster@example.com' },
    ],
    escalationPolicies: [
      { id: 'PEPCHKO', name: 'Checkout on-call', levels: [['PBOBMAR'], ['PCARNGU']] },
      { id: 'PEPPAYM', name: 'Payments on-call', levels: [['PCARNGU'], ['PBOBMAR']] },
    ],
    services: [
      { id: 'PSVCCHK', name: 'Checkout', escalationPolicyId: 'PEPCHKO', routingKey: checkoutKey },
      { id: 'PSVCPAY', name: 'Payments', escalationPolicyId: 'PEPPAYM', routingKey: paymentsKey },
    ],
    from: 'muster@example.com',
  });
  return {
    fake,
    env: { SANDBOX_CHECKOUT_ROUTING_KEY: checkoutKey, SANDBOX_PAYMENTS_ROUTING_KEY: paymentsKey },
  };
}
