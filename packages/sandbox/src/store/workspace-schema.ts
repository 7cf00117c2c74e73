/**
 * The sandbox's own table, in the sandbox's own state file (state-file.ts): its local Slack workspace as JSON
 * by key. It is not part of Muster's schema, so no Muster database has it; drizzle-kit makes its migrations
 * with the package's drizzle.config.ts (`npm run db:generate:sandbox`).
 */
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const sandboxWorkspace = sqliteTable('sandbox_workspace', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
