/**
 * The Slack and PagerDuty emulators on their own, without the sandbox program around them: what the tests'
 * fake Slack and fake PagerDuty serve on their own ports, and what the benchmarks talk to. The sandbox and the
 * tests run the same emulator, so what the tests prove holds in the sandbox.
 */
export {
  createSlackApiHandler,
  type SlackApiCall,
  type SlackApiHandler,
  type SlackFailure,
  UPLOAD_STEP,
} from './slack-api-server.js';
export { SlackWorkspace, type SlackWorkspaceOptions } from './slack-workspace.js';
export type { ResponseContext, ResponseRecord, ViewRecord } from './slack-workspace-types.js';
export { messageBlockProblems, viewContentProblems } from './block-kit-limits.js';
export { FakePagerDuty, type FakePagerDutyOptions } from './pagerduty-api.js';
