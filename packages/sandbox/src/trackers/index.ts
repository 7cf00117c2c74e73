export { FakeGitHub, type FakeGitHubIssue, type FakeGitHubOptions, type FakeGitHubUser } from './github-api.js';
