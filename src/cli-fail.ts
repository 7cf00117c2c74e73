/**
 * How a `muster` command fails: one line on standard error, exit status 1. A module of its own, importing
 * nothing, so the small entry of `npm run muster` (src/bin.ts) shares it without bundling the configuration.
 */

/** Prints `muster: <message>` on standard error and exits with status 1. */
export const fail = (message: string): never => {
  process.stderr.write(`muster: ${message}\n`);
  process.exit(1);
};

/** Fails with what an error no command handled says: its message, never a stack trace. */
export const failWith = (e: unknown): never => fail(e instanceof Error ? e.message : String(e));
