/**
 * The entry `npm run muster` starts, built as a small CommonJS file (dist/muster.cjs). `muster export`, the
 * command people and scripts run for each incident, runs from its own CommonJS bundle (dist/export.cjs, from
 * src/commands/export-command.ts), loaded with `require`: the export's whole code in one file, so Node never
 * starts its ES module loader, which resolves, reads and links a dozen chunks one by one. Every other command
 * loads the ES module CLI (dist/cli.js), as `npm start` does. Only the built file runs this module.
 */
import { createRequire } from 'node:module';

const [command, ...args] = process.argv.slice(2);

const failed = (e: unknown): void => {
  process.stderr.write(`muster: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
};

if (command === 'export') {
  const exportCommand = createRequire(import.meta.url)(
    './export.cjs',
  ) as typeof import('./commands/export-command.js');
  exportCommand.runExportCommand(args).catch(failed);
} else import('./cli.js').catch(failed);
