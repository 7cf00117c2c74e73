/**
 * The fake Linear (packages/sandbox/src/trackers/linear-api.ts) on its own HTTP server at 127.0.0.1, port 0.
 * Point the adapter at `apiUrl` with `apiKey`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeLinear, type FakeLinearOptions } from '../../packages/sandbox/src/trackers/index.js';

export interface RunningFakeLinear {
  fake: FakeLinear;
  baseUrl: string;
  apiUrl: string;
  apiKey: string;
  close(): Promise<void>;
}

/** Starts a fake Linear on a random local port. */
export async function startFakeLinear(options: FakeLinearOptions = {}): Promise<RunningFakeLinear> {
  const fake = new FakeLinear(options);
  const server = createServer((req, res) => {
    if (fake.handle(req, res)) return;
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ message: 'Not Found' }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    fake,
    baseUrl,
    apiUrl: `${baseUrl}/graphql`,
    apiKey: fake.apiKey,
    close: () =>
      new Promise<void>((resolve) => {
        fake.release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
