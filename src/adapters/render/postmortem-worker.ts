/**
 * Writes postmortem drafts on a worker thread. Reading a 10,000-entry timeline with long pinned messages,
 * rendering it and checking it take hundreds of milliseconds each; on the main thread that would hold
 * every other Slack request past its 3 s limit. The worker reads the record on its own read-only
 * connection (SQLite in WAL mode lets it read beside the bot's writes), hands back the user ids so the
 * bot can look up names (which may need Slack), then renders. One worker is started on the first draft and kept for the next ones (it does
 * not keep the process alive while idle); a worker that dies fails the drafts it held and is replaced.
 *
 * Bundled (dist/), the worker is `render-worker.js` beside the chunk holding this code (tsup.config.ts
 * builds it as its own entry). From source (tests, `npm run dev`) it is `render-worker.ts`, loaded through
 * tsx's loader, registered inside the worker by a two-line bootstrap.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Draft, DraftJob, DraftRead, DraftSource, DraftSources } from './postmortem-draft.js';
import { projectRoot } from '../project-root.js';

type Ask =
  | { op: 'read'; source: DraftSource }
  | { op: 'write'; key: number; job: Omit<DraftJob, 'facts'> }
  | { op: 'forget'; key: number };
/** What the bot's thread asks the worker. */
export type WorkerRequest = Ask & { id: number };
export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

function startWorker(sources: DraftSources): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  if (!fromSource) return new Worker(new URL('./render-worker.js', import.meta.url), { workerData: sources });
  const tsx = pathToFileURL(join(projectRoot(), 'node_modules/tsx/dist/esm/api/index.mjs')).href;
  const entry = new URL('./render-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: sources });
}

export class PostmortemWorker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  constructor(private readonly sources: DraftSources) {}

  /**
   * Reads an incident's record on the worker and keeps it there for write(): the incident and the user
   * ids whose names the draft needs, or null for an unknown incident. Rejects when the database cannot be read.
   */
  read(source: DraftSource): Promise<DraftRead | null> {
    return this.ask({ op: 'read', source }) as Promise<DraftRead | null>;
  }

  /** Writes the draft of the record read() kept, with these names, and forgets the record. Rejects when rendering fails or the worker dies. */
  write(key: number, job: Omit<DraftJob, 'facts'>): Promise<Draft> {
    return this.ask({ op: 'write', key, job }) as Promise<Draft>;
  }

  /** Forgets a record read() kept when no draft will be written from it. */
  forget(key: number): void {
    this.ask({ op: 'forget', key }).catch(() => {});
  }

  private ask(request: Ask): Promise<unknown> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ ...request, id });
    });
  }

  /** Stops the worker; drafts still in it are failed. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
    this.failAll(new Error('the postmortem renderer was stopped'));
  }

  private start(): Worker {
    const worker = startWorker(this.sources);
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const job = this.pending.get(reply.id);
      if (!job) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) job.resolve(reply.value);
      else job.reject(new Error(`the postmortem could not be rendered: ${reply.error}`));
    });
    const lost = (e: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(e);
    };
    worker.on('error', (e) => lost(new Error(`the postmortem renderer failed: ${e.message}`)));
    worker.on('exit', (code) => lost(new Error(`the postmortem renderer stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private failAll(e: Error): void {
    const jobs = [...this.pending.values()];
    this.pending.clear();
    for (const j of jobs) j.reject(e);
  }
}
