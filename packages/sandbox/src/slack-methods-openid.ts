/**
 * `openid.connect.token` and `openid.connect.userInfo` of the sandbox Web API (Sign in with Slack). Neither
 * takes the bot token: the first checks the app's client id and secret, the second the user token it minted.
 */
import { type SlackMethod, str } from './slack-method-args.js';

export const openIdMethods: Record<string, SlackMethod> = {
  'openid.connect.token': (ws, args) =>
    ws.openId.exchange({
      clientId: str(args, 'client_id'),
      clientSecret: str(args, 'client_secret'),
      code: str(args, 'code'),
      redirectUri: str(args, 'redirect_uri'),
    }),

  'openid.connect.userInfo': (ws, _args, token) => ws.openId.userInfo(token),
};

/** Methods that check their own credentials instead of the bot token. */
export const OWN_CREDENTIAL_METHODS: ReadonlySet<string> = new Set(Object.keys(openIdMethods));
