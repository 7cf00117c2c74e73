export {
  FakeLinear,
  type FakeLinearOptions,
  type FakeLinearIssue,
  type FakeLinearUser,
} from './linear-api.js';
