/**
 * `muster export <incident> [--out FILE]`: an incident's postmortem markdown, from the database alone. The ES
 * module CLI (src/cli.ts) runs it, and so does the CommonJS entry `npm run muster` starts (src/bin.ts), which
 * bundles this module with all it needs so that an export starts without the ES module loader.
 */
import { writeSync } from 'node:fs';
import { fail } from '../cli-fail.js';
import { commandConfig } from '../cli-support.js';
import { exportPostmortem, writeExport } from '../compose-export.js';
import { isDomainError } from '../domain/errors.js';

export async function runExportCommand(args: string[]): Promise<void> {
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? (args[outAt + 1] ?? fail('--out needs a file name')) : null;
  const ref = args.find((a, i) => !a.startsWith('--') && (outAt < 0 || i !== outAt + 1));
  if (!ref) return fail('export needs an incident: a number like 42, INC-42, or its channel name');
  const c = commandConfig();
  try {
    const { markdown, incident } = await exportPostmortem(c, ref, Date.now());
    writeExport(markdown, out);
    // One short line, written straight to the descriptor: an export to a file never sets up Node's stdio
    // streams, whose net and stream modules cost it about 10 ms when standard error is a pipe.
    if (out) writeSync(2, `wrote the postmortem of INC-${incident.number} to ${out}\n`);
  } catch (e) {
    if (isDomainError(e)) fail(e.message);
    throw e;
  }
}
