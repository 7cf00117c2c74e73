import { defineConfig } from 'drizzle-kit';

// The sandbox's own schema and migrations, apart from Muster's (see src/store/workspace-schema.ts). Paths are
// from the repository root, where `npm run db:generate:sandbox` runs drizzle-kit.
export default defineConfig({
  dialect: 'sqlite',
  schema: './packages/sandbox/src/store/workspace-schema.ts',
  out: './packages/sandbox/migrations',
});
