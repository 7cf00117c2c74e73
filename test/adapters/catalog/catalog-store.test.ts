import { mkdirSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Catalog } from '../../../src/adapters/catalog/catalog.js';
import { CatalogError } from '../../../src/adapters/catalog/catalog-error.js';
import { type CatalogLog, CatalogStore } from '../../../src/adapters/catalog/catalog-store.js';
import { catalogFolder } from './catalog-folder.js';
import { waitUntil } from './wait-until.js';

const ONE = 'services:\n  - name: checkout\n    owner: Storefront\n';
const TWO = `${ONE}  - name: payments\n    owner: Payments\n`;
const THREE = `${TWO}  - name: search\n    owner: Discovery\n`;
const BROKEN = `${TWO}  - name: search\n    owner: [Discovery\n`;

class RecordingLog implements CatalogLog {
  readonly lines: string[] = [];
  info(msg: string) {
    this.lines.push(`info ${msg}`);
  }
  warn(msg: string) {
    this.lines.push(`warn ${msg}`);
  }
  error(msg: string) {
    this.lines.push(`error ${msg}`);
  }
  count(part: string): number {
    return this.lines.filter((l) => l.includes(part)).length;
  }
}

const stores: CatalogStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

function storeFor(
  path: string,
  env: Record<string, string> = {},
): { store: CatalogStore; log: RecordingLog } {
  const log = new RecordingLog();
  const store = new CatalogStore({ path, env, log, debounceMs: 20 });
  stores.push(store);
  return { store, log };
}

const names = (c: Catalog | null): string[] => c?.services.map((s) => s.name) ?? [];

describe('the catalog in force', () => {
  it('loads at start-up and stops start-up on a broken catalog', () => {
    const folder = catalogFolder();
    folder.write(ONE);
    const { store, log } = storeFor(folder.path);
    expect(store.current).toBeNull();
    expect(names(store.load())).toEqual(['checkout']);
    expect(log.lines).toEqual([`info catalog: 1 service loaded from ${folder.path}`]);

    folder.write(BROKEN);
    const broken = storeFor(folder.path).store;
    expect(() => broken.load()).toThrow(CatalogError);
  });

  it('without a file, says so once and runs without a catalog', () => {
    const folder = catalogFolder();
    const { store, log } = storeFor(folder.path);
    expect(store.load()).toBeNull();
    expect(store.reload()).toEqual({ ok: true, catalog: null, warnings: [], changed: false });
    expect(log.count('No service catalog')).toBe(1);
  });

  it('reload (SIGHUP) takes a fixed file, and a broken reload keeps the previous catalog and says why', () => {
    const folder = catalogFolder();
    folder.write(ONE);
    const { store, log } = storeFor(folder.path);
    store.load();
    const seen: string[][] = [];
    store.onChange((c) => seen.push(names(c)));

    folder.write(BROKEN);
    const failed = store.reload();
    expect(failed).toMatchObject({
      ok: false,
      error: `${folder.path}:8:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    });
    expect(names(store.current)).toEqual(['checkout']);
    expect(log.lines.at(-1)).toBe(
      `error catalog: reload failed, keeping the previous catalog (1 service): ${folder.path}:8:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    );

    folder.write(TWO);
    expect(store.reload()).toMatchObject({ ok: true, changed: true });
    expect(names(store.current)).toEqual(['checkout', 'payments']);
    expect(seen).toEqual([['checkout', 'payments']]);
  });

  it('a removed file keeps the previous catalog', () => {
    const folder = catalogFolder();
    folder.write(ONE);
    const { store, log } = storeFor(folder.path);
    store.load();
    rmSync(folder.path);
    expect(store.reload()).toMatchObject({ ok: false, kept: store.current });
    expect(names(store.current)).toEqual(['checkout']);
    expect(log.lines.at(-1)).toBe(
      `warn catalog: ${folder.path} is gone; keeping the previous catalog (1 service)`,
    );
  });

  it('logs unknown-field warnings on every load', () => {
    const folder = catalogFolder();
    folder.write(`${ONE}    tier: 1\n`);
    const { store, log } = storeFor(folder.path);
    store.load();
    expect(log.lines[0]).toBe(
      `warn catalog: ${folder.path}:4:5: services[0].tier: unknown field, ignored; expected one of name, aliases, description, owner, team_channel, runbooks, pagerduty, paging, follow_ups`,
    );
  });
});

describe('watching the catalog file', () => {
  it('reloads when the file is written, and keeps the catalog through a broken edit', async () => {
    const folder = catalogFolder();
    folder.write(ONE);
    const { store, log } = storeFor(folder.path);
    store.load();
    store.watch();

    folder.write(TWO);
    await waitUntil(() => store.current?.find('payments') != null, 'payments is in the catalog');

    folder.write(BROKEN);
    await waitUntil(() => log.count('reload failed') === 1, 'the broken edit is reported');
    expect(names(store.current)).toEqual(['checkout', 'payments']);

    folder.write(THREE);
    await waitUntil(() => store.current?.find('search') != null, 'search is in the catalog');
  });

  it('follows editors that write a new file and rename it over the old one', async () => {
    const folder = catalogFolder();
    folder.write(ONE);
    const { store } = storeFor(folder.path);
    store.load();
    store.watch();

    for (const [i, text] of [TWO, THREE].entries()) {
      const tmp = `${folder.path}.swp${i}`;
      writeFileSync(tmp, text);
      renameSync(tmp, folder.path);
      await waitUntil(() => store.current?.services.length === i + 2, `${i + 2} services are in the catalog`);
    }
  });

  it('follows a catalog deployed as a symbolic link whose target is swapped (a Kubernetes ConfigMap)', async () => {
    // The layout kubelet mounts: catalog.yaml -> ..data/catalog.yaml, ..data -> ..v1; an update writes ..v2
    // and renames a new ..data link over the old one, so no event names catalog.yaml itself.
    const folder = catalogFolder();
    const version = (n: number, text: string) => {
      mkdirSync(join(folder.dir, `..v${n}`));
      writeFileSync(join(folder.dir, `..v${n}`, 'catalog.yaml'), text);
      symlinkSync(`..v${n}`, join(folder.dir, '..data_tmp'));
      renameSync(join(folder.dir, '..data_tmp'), join(folder.dir, '..data'));
    };
    version(1, ONE);
    symlinkSync(join('..data', 'catalog.yaml'), folder.path);
    const { store } = storeFor(folder.path);
    store.load();
    store.watch();

    version(2, TWO);
    await waitUntil(() => store.current?.find('payments') != null, 'the swapped catalog is loaded');
  });

  it('does not reload for a touch, only for a change of content', async () => {
    const folder = catalogFolder();
    folder.write(ONE);
    const { store, log } = storeFor(folder.path);
    store.load();
    const seen: string[][] = [];
    store.onChange((c) => seen.push(names(c)));
    store.watch();

    utimesSync(folder.path, new Date(), new Date());
    folder.write(TWO);
    await waitUntil(() => seen.length === 1, 'the change is seen');
    expect(seen).toEqual([['checkout', 'payments']]);
    expect(log.count('reloaded')).toBe(1);
  });

  it('notices a catalog file that appears after start-up', async () => {
    const folder = catalogFolder();
    const { store } = storeFor(folder.path);
    store.load();
    store.watch();
    folder.write(ONE);
    await waitUntil(() => store.current !== null, 'the new catalog is loaded');
    expect(names(store.current)).toEqual(['checkout']);
  });

  it('stops after close', async () => {
    const folder = catalogFolder();
    folder.write(ONE);
    const { store } = storeFor(folder.path);
    store.load();
    store.watch();
    store.close();
    folder.write(TWO);
    // Nothing can be awaited for an event that must not happen: an explicit reload proves the file was
    // readable all along, and the watcher had not picked it up.
    expect(names(store.current)).toEqual(['checkout']);
    store.reload();
    expect(names(store.current)).toEqual(['checkout', 'payments']);
  });

  it('a folder that does not exist is logged, not thrown', () => {
    const folder = catalogFolder();
    const { store, log } = storeFor(`${folder.dir}/missing/catalog.yaml`);
    store.load();
    store.watch();
    expect(log.lines.at(-1)).toMatch(/^warn catalog: cannot watch .*missing: .*; send SIGHUP to reload$/);
  });
});
