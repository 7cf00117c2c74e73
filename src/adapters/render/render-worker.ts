/**
 * The render worker's thread: reads an incident's record on its own read-only connection to the database
 * (so 10,000 rows are not read on the bot's thread), keeps it while the bot looks up names, then writes
 * the draft. The template (as the build precompiled it, when it is the shipped one unchanged) and the
 * blameless word list are read once, on the first draft. Started by postmortem-worker.ts, never imported.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { mentionedIds, postmortemFacts } from '../../app/postmortem/postmortem-document.js';
import type { PostmortemFacts } from '../../domain/ports.js';
import type { Db } from '../store/db.js';
import * as schema from '../store/schema.js';
import { Store } from '../store/store.js';
import { loadBlamelessRules } from './blameless-check.js';
import { type DraftSource, type DraftSources, writeDraft } from './postmortem-draft.js';
import { createPostmortemRenderer, type PostmortemTemplate } from './postmortem-renderer.js';
import { loadPrecompiledTemplate } from './precompiled-template.js';
import type { WorkerReply, WorkerRequest } from './postmortem-worker.js';

const sources = workerData as DraftSources;
const port = parentPort!;
let tools: {
  renderer: PostmortemTemplate;
  blameless: ReturnType<typeof loadBlamelessRules>;
} | null = null;
const stores = new Map<string, Store>();
const kept = new Map<number, PostmortemFacts>();

function storeFor(file: string): Store {
  let store = stores.get(file);
  if (!store) {
    const client = new Database(file, { readonly: true, fileMustExist: true });
    client.pragma('busy_timeout = 5000');
    store = new Store(drizzle({ client, schema }) as Db);
    stores.set(file, store);
  }
  return store;
}

async function read(source: DraftSource): Promise<PostmortemFacts | null> {
  if ('facts' in source) return source.facts;
  return postmortemFacts(storeFor(source.databaseFile), source.incidentNumber);
}

async function answer(request: WorkerRequest): Promise<WorkerReply> {
  const { id } = request;
  switch (request.op) {
    case 'read': {
      const facts = await read(request.source);
      if (!facts) return { id, ok: true, value: null };
      kept.set(id, facts);
      return { id, ok: true, value: { key: id, incident: facts.incident, ids: [...mentionedIds(facts)] } };
    }
    case 'write': {
      const facts = kept.get(request.key);
      if (!facts) throw new Error('the incident record was not read first');
      kept.delete(request.key);
      tools ??= {
        // the shipped template as the build compiled it, when it is unchanged; any other compiled here
        renderer:
          (await loadPrecompiledTemplate(sources.templatePath)) ??
          createPostmortemRenderer({ templatePath: sources.templatePath }),
        blameless: loadBlamelessRules(sources.blamelessPath),
      };
      return { id, ok: true, value: writeDraft({ facts, ...request.job }, tools.renderer, tools.blameless) };
    }
    case 'forget':
      kept.delete(request.key);
      return { id, ok: true, value: null };
  }
}

port.on('message', async (request: WorkerRequest) => {
  try {
    port.postMessage(await answer(request));
  } catch (e) {
    port.postMessage({ id: request.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
