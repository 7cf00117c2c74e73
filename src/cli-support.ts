/** How every `muster` command reads the configuration. */
import { fail } from './cli-fail.js';
import { ConfigError, type Config, loadConfig, readEnv } from './config.js';

/** The configuration from the environment and `.env`; a bad variable fails the command with its one line. */
export function commandConfig(): Config {
  try {
    return loadConfig(readEnv());
  } catch (e) {
    if (e instanceof ConfigError) return fail(e.message);
    throw e;
  }
}
