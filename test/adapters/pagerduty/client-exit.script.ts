/**
 * Run as its own process by client.test.ts: it makes calls that time out, are rate limited and fail, then
 * stops the fake and returns without process.exit. It exits only if the client left no timer or socket.
 */
import { PagerDutyClient, PagerDutyError } from '../../../src/adapters/pagerduty/client.js';
import { startFakePagerDuty } from '../../fakes/fake-pagerduty.js';

const pd = await startFakePagerDuty();
const client = new PagerDutyClient({
  eventsUrl: pd.eventsUrl,
  apiUrl: pd.apiUrl,
  token: pd.token,
  from: pd.from,
  timeoutMs: 100,
});
const event = {
  routingKey: pd.routingKey,
  action: 'trigger' as const,
  dedupKey: 'muster-inc-1-checkout',
  payload: { summary: 'INC-1', source: 'muster', severity: 'critical' as const },
};
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof PagerDutyError ? e.code : String(e)),
  );

const codes: string[] = [];
pd.hang();
codes.push(await codeOf(client.sendEvent(event)));
pd.up();
pd.failNext('enqueue', { status: 429, times: 4, retryAfter: 60 });
codes.push(await codeOf(client.sendEvent(event)));
pd.down(503);
codes.push(await codeOf(client.onCalls('PEP0001')));
pd.hang();
codes.push(
  await codeOf(
    client.createIncident({
      serviceId: 'PSVC001',
      title: 'INC-1',
      urgency: 'high',
      incidentKey: 'muster-inc-1-checkout',
      body: 'details',
    }),
  ),
);
await pd.close();
process.stdout.write(`${codes.join(' ')}\n`);
