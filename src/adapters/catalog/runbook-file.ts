/** Runbook files: markdown inside the runbooks folder next to the catalog, and their links. */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

export type RunbookFileCheck = { ok: true; path: string } | { ok: false; message: string };

const MARKDOWN = /\.(md|markdown)$/i;

/** Resolves a runbook file against the runbooks folder; refuses paths that leave it, non-markdown, and missing files. */
export function checkRunbookFile(runbooksDir: string, file: string): RunbookFileCheck {
  const shown = `runbooks/${file}`;
  const path = resolve(runbooksDir, file);
  if (isAbsolute(file) || !inside(runbooksDir, path)) {
    return {
      ok: false,
      message: `expected a path inside the runbooks folder (relative to it), got ${JSON.stringify(file)}`,
    };
  }
  if (!MARKDOWN.test(file))
    return { ok: false, message: `expected a markdown file (.md), got ${JSON.stringify(file)}` };
  if (!existsSync(path) || !statSync(path).isFile()) {
    // A common slip: writing the folder twice, since the path is relative to the runbooks folder itself.
    const hint = file.startsWith('runbooks/')
      ? ` (paths are relative to the runbooks folder: write ${file.slice(9)})`
      : '';
    return { ok: false, message: `${shown} does not exist${hint}` };
  }
  // A symlink may not lead out of the folder either.
  if (!inside(realpathSync(runbooksDir), realpathSync(path))) {
    return { ok: false, message: `${shown} leads outside the runbooks folder` };
  }
  return { ok: true, path };
}

/** The web link of a runbook file under `runbooks_url` (e.g. the folder in the git host's web view). */
export function runbookFileUrl(runbooksUrl: string, file: string): string {
  const base = runbooksUrl.endsWith('/') ? runbooksUrl : `${runbooksUrl}/`;
  const encoded = file.split(/[\\/]/).filter(Boolean).map(encodeURIComponent).join('/');
  return new URL(encoded, base).href;
}

function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}
