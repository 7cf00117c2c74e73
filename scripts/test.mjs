/**
 * `npm test`: the type check, the linter and every vitest project, the first two beside the third rather than
 * before it. The suite waits on sockets, child processes and PostgreSQL for about a quarter of its run, which
 * the type check (half a minute of one core) fills instead of adding to the wall time.
 *
 * Vitest writes as it goes; the checks' output is shown once each ends, so the lines do not interleave.
 * Arguments go to vitest (`npm test -- test/e2e/declare.test.ts`). The exit code is non-zero when any of the
 * three fails, and every failure is shown: a type error does not hide a failing test.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

// The installed binaries themselves: npx would spend most of a second of CPU finding each one again.
const onWindows = process.platform === 'win32';
const bin = (name) => join('node_modules', '.bin', onWindows ? `${name}.cmd` : name);

/** Runs a command; resolves with its exit code, and its output when `quiet` (else the output streams through). */
function run(command, args, quiet) {
  return new Promise((resolve) => {
    // Windows runs the .cmd shims through a shell only
    const child = spawn(command, args, {
      stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      shell: onWindows,
    });
    const chunks = [];
    if (quiet) {
      child.stdout.on('data', (c) => chunks.push(c));
      child.stderr.on('data', (c) => chunks.push(c));
    }
    child.on('error', (err) => resolve({ code: 1, output: `${command}: ${err.message}\n` }));
    child.on('close', (code, signal) =>
      resolve({ code: code ?? (signal ? 1 : 0), output: Buffer.concat(chunks).toString('utf8') }),
    );
  });
}

const checks = [
  { name: 'typecheck (tsc --noEmit)', run: run(bin('tsc'), ['--noEmit'], true) },
  { name: 'lint (biome lint)', run: run(bin('biome'), ['lint'], true) },
];
const tests = await run(bin('vitest'), ['run', ...process.argv.slice(2)], false);

let failed = tests.code !== 0;
for (const check of checks) {
  const { code, output } = await check.run;
  if (code !== 0 || output.trim())
    process.stdout.write(`\n${check.name}: ${code === 0 ? 'passed' : 'FAILED'}\n${output}`);
  else process.stdout.write(`${check.name}: passed\n`);
  if (code !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
