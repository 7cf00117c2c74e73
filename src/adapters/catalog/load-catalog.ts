/** Reads the catalog file at CATALOG_PATH. A missing file is not an error: Muster runs without a catalog. */
import { readFileSync } from 'node:fs';
import type { Catalog } from './catalog.js';
import { CatalogError } from './catalog-error.js';
import { parseCatalog, type UnsetPaging } from './parse-catalog.js';

export interface LoadedCatalog {
  /** null when the file does not exist */
  catalog: Catalog | null;
  /** unknown fields and other ignored things, one line each */
  warnings: string[];
  /** said once at info level when there is no catalog file */
  notice: string | null;
  /** the text that was loaded, so a watcher can skip reloads when nothing changed; null without a file */
  text: string | null;
}

/**
 * Loads and validates the catalog; throws CatalogError (every problem in `problems` and in the message).
 * `unsetPaging: 'leave-out'` is for what never pages real people (see ParseOptions).
 */
export function loadCatalog(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
  options: { unsetPaging?: UnsetPaging } = {},
): LoadedCatalog {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return {
        catalog: null,
        warnings: [],
        notice: `No service catalog at ${path}: running without services, runbooks or PagerDuty targets (catalog.example.yaml shows the format).`,
        text: null,
      };
    }
    throw new CatalogError([`${path}: cannot read the catalog: ${(e as Error).message}`]);
  }
  const { catalog, warnings } = parseCatalog(text, { file: path, env, ...options });
  return { catalog, warnings, notice: null, text };
}
