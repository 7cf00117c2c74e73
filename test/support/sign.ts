/** Signs requests the way Slack does: the app's own implementation, used from the client side. */
export {
  slackSignatureHeaders as signedHeaders,
  slackSignature,
} from '../../src/adapters/slack/request-signature.js';
