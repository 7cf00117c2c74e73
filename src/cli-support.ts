/** What every `muster` command shares: how it fails, and how it reads the configuration. */
import { ConfigError, type Config, loadConfig, readEnv } from './config.js';

/** Prints `muster: <message>` on standard error and exits with status 1. */
export const fail = (message: string): never => {
  process.stderr.write(`muster: ${message}\n`);
  process.exit(1);
};

/** The configuration from the environment and `.env`; a bad variable fails the command with its one line. */
export function commandConfig(): Config {
  try {
    return loadConfig(readEnv());
  } catch (e) {
    if (e instanceof ConfigError) return fail(e.message);
    throw e;
  }
}
