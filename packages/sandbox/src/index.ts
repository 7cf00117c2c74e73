/**
 * The sandbox package's entry, what Muster's command line loads (by dynamic import, so `muster start` with Slack
 * and `muster export` never load it): the sandbox program and the scripted demo that runs on it.
 */
export {
  GITHUB_BASE_PATH,
  PAGERDUTY_BASE_PATH,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from './sandbox.js';
export { DemoError, type DemoOptions, type DemoResult, runDemo } from './demo.js';
