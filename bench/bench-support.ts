/** What the benchmarks share: a local fake Slack, child servers, signed requests, percentiles. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSlackApiHandler, SlackWorkspace } from '../packages/sandbox/src/emulators.js';
import { slackSignatureHeaders as signedHeaders } from '../src/adapters/slack/request-signature.js';

export { signedHeaders };

export interface LocalSlack {
  apiUrl: string;
  token: string;
  workspace: SlackWorkspace;
  close(): Promise<void>;
}

/** The sandbox workspace served on 127.0.0.1, as the Slack the benchmarked servers talk to. */
export async function startLocalSlack(): Promise<LocalSlack> {
  const workspace = new SlackWorkspace();
  // Slack takes files far over the sandbox's 1 MB (a 10,000-entry postmortem is about 2 MB), as the tests' fake does
  const handler = createSlackApiHandler(workspace, { maxBodyBytes: 50 * 1024 * 1024 });
  const server = createServer((req, res) => {
    if (!handler(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  workspace.baseUrl = base;
  return {
    apiUrl: `${base}/api/`,
    token: workspace.token,
    workspace,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export const freePort = async (): Promise<number> => {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return p;
};

/** Spawns a server and resolves once GET /healthz (or any answer on `/`) comes back; returns the ms it took. */
export async function spawnServer(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  port: number,
  probe = '/healthz',
  cwd?: string,
): Promise<{ child: ChildProcess; startMs: number }> {
  const t0 = performance.now();
  // HOME: npm reads its user config and cache from it when the server is started through npm.
  const child = spawn(cmd, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    ...(cwd ? { cwd } : {}),
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}${probe}`, { method: probe === '/slack/events' ? 'POST' : 'GET' });
      await r.arrayBuffer();
      if (probe !== '/healthz' || r.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return { child, startMs: performance.now() - t0 };
}

/** Stops a server with SIGTERM (sent to `serverPid`, the server itself when it runs under npm), SIGKILL after 5 s. */
export const stopServer = async (child: ChildProcess, serverPid?: number | null): Promise<void> => {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  if (serverPid) {
    try {
      process.kill(serverPid, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
  } else child.kill('SIGTERM');
  await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
};

/**
 * The process under `pid` (itself included) whose command line contains `marker`, not counting the shell
 * npm runs the script with: the node server `npm start` started (Linux /proc).
 */
export function processUnder(pid: number, marker: string): number | null {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const under = (p: number): boolean => {
    for (let q: number | undefined = p; q && q > 1; q = parents.get(q)) if (q === pid) return true;
    return false;
  };
  for (const p of parents.keys()) {
    if (!under(p)) continue;
    try {
      const argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      if (argv.some((a) => a.includes(marker)) && !/(^|\/)(ba|da)?sh$/.test(argv[0]!)) return p;
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

/** Resident memory of a process in bytes (Linux /proc). */
export const rssOf = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
};

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

/** Runs `total` calls of `fn` with at most `concurrency` in flight. */
export async function runConcurrent(total: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
}
