/**
 * Writes postmortem drafts on a worker thread. A 10,000-entry timeline with long pinned messages takes
 * a few hundred milliseconds to render and check; on the main thread that would hold every other Slack
 * request past its 3 s limit. One worker is started on the first draft and kept for the next ones (it does
 * not keep the process alive while idle); a worker that dies fails the drafts it held and is replaced.
 *
 * Bundled (dist/), the worker is `render-worker.js` beside the chunk holding this code (tsup.config.ts
 * builds it as its own entry). From source (tests, `npm run dev`) it is `render-worker.ts`, loaded through
 * tsx's loader, registered inside the worker by a two-line bootstrap.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Draft, DraftJob, DraftSources } from '../../app/postmortem-draft.js';
import { projectRoot } from '../project-root.js';

type Reply = { id: number; ok: true; draft: Draft } | { id: number; ok: false; error: string };

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
  private readonly pending = new Map<number, { resolve: (d: Draft) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  constructor(private readonly sources: DraftSources) {}

  /** Writes one draft off the event loop; rejects when the template fails on this data or the worker dies. */
  draft(job: DraftJob): Promise<Draft> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<Draft>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, job });
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
    worker.on('message', (reply: Reply) => {
      const job = this.pending.get(reply.id);
      if (!job) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) job.resolve(reply.draft);
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
