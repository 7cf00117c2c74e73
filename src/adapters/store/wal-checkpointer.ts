/**
 * Checkpoints SQLite's write-ahead log from a worker thread, so its fsync never stalls the event loop.
 * SQLite's automatic checkpoint runs inside whichever commit crosses its threshold, and the fsync that ends it
 * then holds up every Slack acknowledgement in flight: on the 2-core bench machine, up to 1.5 s with 200
 * commands in flight. The worker's own connection checkpoints PASSIVE, which never blocks the app's readers
 * or writers; the app's connection keeps an automatic checkpoint only as a far bound on the log's size, for
 * writes so sustained that a passive checkpoint never catches up.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './db.js';

/** Pages the log may reach before the app's connection checkpoints by itself (SQLite's default is 1000). */
export const FAR_AUTOCHECKPOINT_PAGES = 50_000;
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

// Plain CommonJS, evaluated in the worker: it needs no build step under tsx or in the bundled server.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    parentPort.postMessage({ error: String((e && e.message) || e) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface CheckpointerOptions {
  /** how often the worker checkpoints (default 250 ms) */
  intervalMs?: number;
  /** told when a checkpoint fails or the worker stops unexpectedly; the app's connection then checkpoints itself */
  onProblem?: (message: string) => void;
}

export class WalCheckpointer {
  private worker: Worker | null;
  private readonly exited: Promise<void>;

  /** Starts checkpointing `db`'s file in the background. Throws when the worker cannot be created. */
  constructor(
    private readonly db: Db,
    opts: CheckpointerOptions = {},
  ) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, file: db.$client.name, intervalMs: opts.intervalMs ?? 250 },
    });
    this.worker = worker;
    worker.unref();
    db.$client.pragma(`wal_autocheckpoint = ${FAR_AUTOCHECKPOINT_PAGES}`);
    const fallBack = (message: string) => {
      if (this.worker === null) return;
      this.worker = null;
      if (db.$client.open) db.$client.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
      opts.onProblem?.(message);
    };
    worker.on('message', (m: { error?: string }) => {
      if (m.error) opts.onProblem?.(`a background checkpoint failed: ${m.error}`);
    });
    worker.on('error', (e) => fallBack(`the checkpoint worker failed: ${e.message}`));
    this.exited = new Promise((resolve) => {
      worker.once('exit', (code) => {
        fallBack(`the checkpoint worker exited (${code})`);
        resolve();
      });
    });
  }

  /** True while the worker checkpoints. */
  get running(): boolean {
    return this.worker !== null;
  }

  /** Stops the worker after its current checkpoint; the app's connection checkpoints itself again. */
  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (this.db.$client.open) this.db.$client.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
    if (worker) {
      // Unreferenced, the worker would not keep the process alive until it has closed its connection.
      worker.ref();
      worker.postMessage('stop');
    }
    await this.exited;
  }
}
