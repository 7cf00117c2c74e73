/**
 * The fake GitHub (packages/sandbox/src/trackers/github-api.ts) on its own HTTP server at 127.0.0.1, port 0.
 * Point GitHubTracker at `apiUrl` with `token`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGitHub, type FakeGitHubOptions } from '../../packages/sandbox/src/trackers/index.js';

export interface RunningFakeGitHub {
  fake: FakeGitHub;
  apiUrl: string;
  token: string;
  close(): Promise<void>;
}

/** Starts a fake GitHub on a random local port. */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<RunningFakeGitHub> {
  const fake = new FakeGitHub(options);
  const server = createServer((req, res) => {
    if (fake.handle(req, res)) return;
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'Not Found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const apiUrl = `http://127.0.0.1:${port}`;
  fake.baseUrl = apiUrl;
  return {
    fake,
    apiUrl,
    token: fake.token,
    close: async () => {
      fake.up();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
