export { FakeGitHub } from './github-api.js';
