/** A temporary folder holding a catalog.yaml and a runbooks/ folder, removed after each test. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

export interface CatalogFolder {
  dir: string;
  /** path of catalog.yaml inside it */
  path: string;
  write(yaml: string): string;
  runbook(name: string, text?: string): string;
}

const folders: string[] = [];

afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Creates the folder (and its runbooks/); the catalog file is written only by `write`. */
export function catalogFolder(): CatalogFolder {
  const dir = mkdtempSync(join(tmpdir(), 'muster-catalog-'));
  folders.push(dir);
  mkdirSync(join(dir, 'runbooks'));
  const path = join(dir, 'catalog.yaml');
  return {
    dir,
    path,
    write(yaml: string) {
      writeFileSync(path, yaml);
      return path;
    },
    runbook(name: string, text = `# ${name}\n`) {
      const file = join(dir, 'runbooks', name);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
  };
}

/** A catalog with `n` services named svc-0 .. svc-(n-1) (alias "service <i>"), as YAML. */
export function generatedCatalog(n: number): string {
  const lines = ['services:'];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  - name: svc-${i}`,
      `    aliases: ["service ${i}", "team ${i % 97} api ${i}"]`,
      `    owner: team-${i % 97}`,
    );
  }
  return lines.join('\n') + '\n';
}
