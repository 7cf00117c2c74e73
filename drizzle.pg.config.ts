import { defineConfig } from 'drizzle-kit';

// The PostgreSQL schema and its migrations, beside SQLite's (drizzle.config.ts): `npm run db:generate:pg`.
// Generating needs no server. Muster applies them at start when DATABASE_URL is a postgres:// URL.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/adapters/store/pg/schema.ts',
  out: './migrations/postgres',
});
