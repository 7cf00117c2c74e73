/**
 * The sandbox Slack on its own thread, for benchmarks that measure the event loop of the app in this
 * process: the fake's own work (parsing a 2 MB upload) must not be counted as the app's.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';

export interface ThreadedSlack {
  apiUrl: string;
  token: string;
  close(): Promise<void>;
}

/** Starts the sandbox Slack on a worker thread (this file, loaded through tsx's loader). */
export async function startLocalSlackThread(): Promise<ThreadedSlack> {
  const tsx = pathToFileURL(join(import.meta.dirname, '../node_modules/tsx/dist/esm/api/index.mjs')).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`;
  const worker = new Worker(bootstrap, { eval: true });
  const ready = await new Promise<{ apiUrl: string; token: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { ...ready, close: async () => void (await worker.terminate()) };
}

if (!isMainThread && parentPort) {
  const { startLocalSlack } = await import('./bench-support.js');
  const slack = await startLocalSlack();
  parentPort.postMessage({ apiUrl: slack.apiUrl, token: slack.token });
}
