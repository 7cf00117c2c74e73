/**
 * The catalog currently in force, and the CatalogSource port over it. Reloaded on SIGHUP (main.ts calls
 * `reload()`) and when the file changes (`watch()`); a reload that fails keeps the previous catalog and logs why.
 */
import { type FSWatcher, lstatSync, readFileSync, watch as watchFs } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { CatalogSource, RunbookFile } from '../../domain/ports.js';
import type { Catalog } from './catalog.js';
import { CatalogError } from './catalog-error.js';
import { loadCatalog } from './load-catalog.js';
import type { UnsetPaging } from './parse-catalog.js';

/** The part of a pino logger the store uses. */
export interface CatalogLog {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export interface CatalogStoreOptions {
  path: string;
  env: Readonly<Record<string, string | undefined>>;
  log: CatalogLog;
  /** `refuse` (default) for the bot; `leave-out` in the sandbox, which never pages real people */
  unsetPaging?: UnsetPaging;
  /** quiet time after the last file event before reloading; editors write in bursts */
  debounceMs?: number;
}

export type ReloadResult =
  | { ok: true; catalog: Catalog | null; warnings: string[]; changed: boolean }
  | { ok: false; error: string; problems: readonly string[]; kept: Catalog | null };

export class CatalogStore implements CatalogSource {
  private catalog: Catalog | null = null;
  private text: string | null = null;
  private loaded = false;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<(catalog: Catalog | null) => void>();

  constructor(private readonly options: CatalogStoreOptions) {}

  /** The catalog in force; null before `load()` or when there is no catalog file. */
  get current(): Catalog | null {
    return this.catalog;
  }

  /** The catalog file, as configured. */
  get path(): string {
    return this.options.path;
  }

  /** Reads a file runbook (its path was checked to lie inside the runbooks folder when the catalog loaded). */
  readRunbook(file: RunbookFile): Promise<string> {
    return readFile(file.path, 'utf8');
  }

  /** First load at start-up: throws CatalogError so a broken catalog stops start-up with one line. */
  load(): Catalog | null {
    const loaded = loadCatalog(this.options.path, this.options.env, this.loadOptions());
    this.apply(loaded.catalog, loaded.text);
    this.loaded = true;
    if (loaded.notice) this.options.log.info(loaded.notice);
    for (const w of loaded.warnings) this.options.log.warn(`catalog: ${w}`);
    if (loaded.catalog)
      this.options.log.info(`catalog: ${describe(loaded.catalog)} loaded from ${this.options.path}`);
    return this.catalog;
  }

  /** Reads the file again; on any failure keeps the catalog in force, logs why and says so in the result. */
  reload(): ReloadResult {
    const { path, env, log } = this.options;
    try {
      const loaded = loadCatalog(path, env, this.loadOptions());
      if (!loaded.catalog && this.catalog) {
        // Editors that save by rename leave a moment without the file; a real removal is a restart's business.
        const error = `${path} is gone; keeping the previous catalog (${describe(this.catalog)})`;
        log.warn(`catalog: ${error}`);
        return { ok: false, error, problems: [error], kept: this.catalog };
      }
      const changed = loaded.text !== this.text || !this.loaded;
      if (loaded.notice && changed) log.info(loaded.notice);
      for (const w of loaded.warnings) log.warn(`catalog: ${w}`);
      this.apply(loaded.catalog, loaded.text);
      this.loaded = true;
      if (loaded.catalog) log.info(`catalog: reloaded ${describe(loaded.catalog)} from ${path}`);
      if (changed) for (const listener of this.listeners) listener(this.catalog);
      return { ok: true, catalog: this.catalog, warnings: loaded.warnings, changed };
    } catch (e) {
      if (!(e instanceof CatalogError)) throw e;
      const kept = this.catalog
        ? `keeping the previous catalog (${describe(this.catalog)})`
        : 'running without a catalog';
      // One log line per problem: the first says what happened, each names its place in the file.
      log.error(`catalog: reload failed, ${kept}: ${e.problems[0] ?? e.message}`);
      for (const p of e.problems.slice(1)) log.error(`catalog: ${p}`);
      return { ok: false, error: e.message, problems: e.problems, kept: this.catalog };
    }
  }

  /** Calls `listener` with the new catalog after each reload that changed it; returns an unsubscribe. */
  onChange(listener: (catalog: Catalog | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Reloads when the file changes. Watches the folder, not the file: editors that save by writing a
   * new file and renaming it over the old one replace the inode a file watch would be attached to.
   * A folder that cannot be watched is logged, not thrown: SIGHUP still works.
   */
  watch(): void {
    if (this.watcher) return;
    const dir = dirname(this.options.path);
    const name = basename(this.options.path);
    // A catalog that is a symbolic link changes without an event naming it: a Kubernetes ConfigMap mounts
    // catalog.yaml -> ..data/catalog.yaml and swaps the ..data link on update. Then any event in the folder
    // may be ours; the content check before reloading keeps the others from doing anything.
    const linked = isSymbolicLink(this.options.path);
    try {
      this.watcher = watchFs(dir, { persistent: false }, (_event, filename) => {
        // Some platforms give no file name; then any change in the folder may be ours.
        if (!linked && filename !== null && filename.toString() !== name) return;
        this.schedule();
      });
      this.watcher.on('error', (e) => {
        this.options.log.warn(`catalog: stopped watching ${dir}: ${e.message}; send SIGHUP to reload`);
        this.stopWatching();
      });
    } catch (e) {
      this.options.log.warn(`catalog: cannot watch ${dir}: ${(e as Error).message}; send SIGHUP to reload`);
    }
  }

  /** Stops watching; pending reloads are dropped. */
  close(): void {
    this.stopWatching();
    this.listeners.clear();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.watcher && this.fileChanged()) this.reload();
    }, this.options.debounceMs ?? 250);
    this.timer.unref();
  }

  /** A file event without a content change (touch, chmod, the editor's backup dance) reloads nothing. */
  private fileChanged(): boolean {
    try {
      return readFileSync(this.options.path, 'utf8') !== this.text;
    } catch {
      // Gone or unreadable: reload() says which, and keeps the catalog in force.
      return true;
    }
  }

  private stopWatching(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.watcher?.close();
    this.watcher = null;
  }

  private loadOptions(): { unsetPaging?: UnsetPaging } {
    return this.options.unsetPaging ? { unsetPaging: this.options.unsetPaging } : {};
  }

  private apply(catalog: Catalog | null, text: string | null): void {
    this.catalog = catalog;
    this.text = text;
  }
}

function isSymbolicLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

const describe = (catalog: Catalog): string =>
  `${catalog.services.length} service${catalog.services.length === 1 ? '' : 's'}`;
