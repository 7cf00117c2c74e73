/**
 * Run as its own process by client.test.ts: it makes calls that time out, are rate limited and fail, then
 * stops the fake and returns without process.exit. It exits only if the client left no timer or socket.
 */
import { PagerDutyClient, PagerDutyError } from '../../../src/adapters/pagerduty/client.js';
import { startFakePagerDuty } from '../../fakes/fake-pagerduty.js';

const pd = await startFakePagerDuty();
const clientWith = (timeoutMs: number) =>
  new PagerDutyClient({
    eventsUrl: pd.eventsUrl,
    apiUrl: pd.apiUrl,
    token: pd.token,
    from: pd.from,
    timeoutMs,
  });
// The calls meant to time out use a short timeout. The others use one longer than the test's 20 s guard, so
// that a loaded machine answering slowly cannot turn an expected 429 or 503 into a timeout, and a timer left
// behind would hold the process past the guard.
const hanging = clientWith(100);
const client = clientWith(60_000);
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
codes.push(await codeOf(hanging.sendEvent(event)));
pd.up();
// More 429s than the client's four attempts: on a loaded machine the timed-out call's request can reach the
// fake only now, after the client gave up on it, and take one of them (the client would then succeed).
pd.failNext('enqueue', { status: 429, times: 8, retryAfter: 60 });
codes.push(await codeOf(client.sendEvent(event)));
pd.down(503);
codes.push(await codeOf(client.onCalls('PEP0001')));
pd.hang();
codes.push(
  await codeOf(
    hanging.createIncident({
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
