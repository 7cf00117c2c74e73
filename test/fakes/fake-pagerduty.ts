/**
 * The fake PagerDuty (packages/sandbox/src/pagerduty-api.ts) on its own HTTP server at 127.0.0.1, port 0.
 * Point the real client at `eventsUrl` / `apiUrl` with `token` and `from`; send events with `routingKey`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakePagerDuty, type FakePagerDutyOptions } from '../../packages/sandbox/src/emulators.js';

export interface RunningFakePagerDuty {
  /** the fake itself: records (`requests`, `incidents`, `webhooks`), counts and failure switches */
  fake: FakePagerDuty;
  baseUrl: string;
  eventsUrl: string;
  apiUrl: string;
  token: string;
  readOnlyToken: string;
  from: string;
  /** a valid 32-character routing key of the first seeded service */
  routingKey: string;
  failNext: FakePagerDuty['failNext'];
  down: FakePagerDuty['down'];
  up: FakePagerDuty['up'];
  hang: FakePagerDuty['hang'];
  autoAcknowledge: FakePagerDuty['autoAcknowledge'];
  sendWebhook: FakePagerDuty['sendWebhook'];
  triggersFor: FakePagerDuty['triggersFor'];
  incidentsFor: FakePagerDuty['incidentsFor'];
  waitFor: FakePagerDuty['waitFor'];
  /** stops the server, dropping held (hung) requests and pending auto-acknowledgements */
  close(): Promise<void>;
}

/** Starts a fake PagerDuty on a random local port. */
export async function startFakePagerDuty(options: FakePagerDutyOptions = {}): Promise<RunningFakePagerDuty> {
  const fake = new FakePagerDuty(options);
  const server = createServer((req, res) => {
    if (fake.handle(req, res)) return;
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'Not Found', code: 2100 } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}${fake.basePath}`;
  return {
    fake,
    baseUrl,
    eventsUrl: baseUrl,
    apiUrl: baseUrl,
    token: fake.token,
    readOnlyToken: fake.readOnlyToken,
    from: fake.from,
    routingKey: fake.routingKey,
    failNext: fake.failNext.bind(fake),
    down: fake.down.bind(fake),
    up: fake.up.bind(fake),
    hang: fake.hang.bind(fake),
    autoAcknowledge: fake.autoAcknowledge.bind(fake),
    sendWebhook: fake.sendWebhook.bind(fake),
    triggersFor: fake.triggersFor.bind(fake),
    incidentsFor: fake.incidentsFor.bind(fake),
    waitFor: fake.waitFor.bind(fake),
    close: async () => {
      fake.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
