import { defineConfig } from 'drizzle-kit';

// The sandbox's own table, kept apart from Muster's schema and migrations (see workspace-schema.ts).
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/adapters/sandbox/store/workspace-schema.ts',
  out: './src/adapters/sandbox/store/migrations',
});
