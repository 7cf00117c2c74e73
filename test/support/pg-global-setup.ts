/**
 * The end-to-end tier on PostgreSQL (the `e2e-postgres` project in vitest.config.ts): one throwaway server for
 * the whole run (test/support/pg-cluster.ts) with a migrated template database; each app the harness starts
 * gets a database of its own, copied from that template (see pg-database.ts).
 */
import type { TestProject } from 'vitest/node';
import { openPgStore } from '../../src/adapters/store/pg/pg-store.js';
import { type PgCluster, startPgCluster } from './pg-cluster.js';
import { TEMPLATE_DATABASE } from './pg-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** the test server's admin URL (database `postgres`); unset outside the PostgreSQL project */
    pgUrl: string;
  }
}

let cluster: PgCluster | null = null;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  cluster = await startPgCluster();
  const admin = await openPgStore(cluster.url, { migrate: false, poolSize: 1 });
  await admin.pool.query(`create database "${TEMPLATE_DATABASE}"`);
  await admin.close();
  const template = await openPgStore(cluster.url.replace(/\/postgres$/, `/${TEMPLATE_DATABASE}`), {
    poolSize: 1,
  });
  await template.close();
  project.provide('pgUrl', cluster.url);
  return async () => {
    await cluster?.stop();
  };
}
