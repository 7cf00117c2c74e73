export {
  FakeGitHub,
  type FakeGitHubIssue,
  type FakeGitHubOptions,
  type FakeGitHubUser,
  type RecordedGitHubDelivery,
} from './github-api.js';
export {
  FakeLinear,
  type FakeLinearOptions,
  type FakeLinearIssue,
  type FakeLinearUser,
} from './linear-api.js';
export { FakeJira, type FakeJiraIssue, type FakeJiraOptions, type FakeJiraUser } from './jira-api.js';
