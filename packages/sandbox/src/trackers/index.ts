export { FakeGitHub, type FakeGitHubIssue, type FakeGitHubOptions, type FakeGitHubUser } from './github-api.js';
export {
  FakeLinear,
  type FakeLinearOptions,
  type FakeLinearIssue,
  type FakeLinearUser,
} from './linear-api.js';
