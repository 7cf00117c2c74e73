/**
 * The render worker's thread: compiles the template and reads the blameless word list once, then writes
 * each draft it is sent. Started by postmortem-worker.ts, never imported.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type DraftJob, type DraftSources, writeDraft } from '../../app/postmortem-draft.js';
import { loadBlamelessRules } from './blameless-check.js';
import { createPostmortemRenderer } from './postmortem-renderer.js';

const sources = workerData as DraftSources;
const port = parentPort!;
let tools: { renderer: ReturnType<typeof createPostmortemRenderer>; blameless: ReturnType<typeof loadBlamelessRules> } | null =
  null;

port.on('message', ({ id, job }: { id: number; job: DraftJob }) => {
  try {
    tools ??= {
      renderer: createPostmortemRenderer({ templatePath: sources.templatePath }),
      blameless: loadBlamelessRules(sources.blamelessPath),
    };
    port.postMessage({ id, ok: true, draft: writeDraft(job, tools.renderer, tools.blameless) });
  } catch (e) {
    port.postMessage({ id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
