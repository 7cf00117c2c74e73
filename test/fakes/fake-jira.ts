/**
 * The fake Jira Cloud (packages/sandbox/src/trackers/jira-api.ts) on its own HTTP server at 127.0.0.1, port 0.
 * Point JiraTracker at `baseUrl` with `email` and `apiToken`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeJira, type FakeJiraOptions } from '../../packages/sandbox/src/trackers/index.js';

export interface RunningFakeJira {
  fake: FakeJira;
  baseUrl: string;
  email: string;
  apiToken: string;
  close(): Promise<void>;
}

/** Starts a fake Jira on a random local port. */
export async function startFakeJira(options: FakeJiraOptions = {}): Promise<RunningFakeJira> {
  const fake = new FakeJira(options);
  const server = createServer((req, res) => {
    if (fake.handle(req, res)) return;
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errorMessages: ['Not Found'], errors: {} }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  fake.baseUrl = baseUrl;
  return {
    fake,
    baseUrl,
    email: fake.email,
    apiToken: fake.apiToken,
    close: async () => {
      fake.up();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
