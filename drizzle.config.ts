import { defineConfig } from 'drizzle-kit';

// The SQLite schema and its migrations, what Muster runs on (`npm run db:generate`); PostgreSQL's are made by
// drizzle.pg.config.ts into migrations/postgres.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/adapters/store/schema.ts',
  out: './migrations/sqlite',
});
