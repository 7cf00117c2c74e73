/**
 * The web page without sign-in, for the sandbox: everyone is the person given to the constructor. Forms still
 * carry a CSRF token (from a key made at start), so the page's forms work, and are checked, as in Slack mode.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpServer } from '../http/server.js';
import { sendAuthText, seeOther } from './auth-pages.js';
import { CsrfTokens, formField } from './csrf-token.js';
import { WEB_ROOT } from './next-path.js';
import type { Viewer, WebAccess } from './viewer.js';

/** The one "session" of the sandbox: the CSRF token is derived from it like a signed-in person's. */
const LOCAL_SESSION = 'local';

export class LocalAccess implements WebAccess {
  private readonly csrf = new CsrfTokens(randomBytes(32));

  constructor(private readonly person: Viewer) {}

  viewer(_req: IncomingMessage): Viewer {
    return { ...this.person };
  }

  csrfToken(_req: IncomingMessage): string {
    return this.csrf.tokenFor(LOCAL_SESSION);
  }

  refuse(_req: IncomingMessage, res: ServerResponse): void {
    // never reached in practice (everyone is signed in), but a refusal must still be an answer
    sendAuthText(res, 401, 'Not signed in.');
  }

  /** Logout: with nobody to sign out, a right CSRF token leads back to the list (a wrong one is refused). */
  register(http: HttpServer): void {
    http.route('POST', `${WEB_ROOT}/auth/logout`, ({ res, body }) => {
      if (!this.csrf.matches(LOCAL_SESSION, formField(body, 'csrf'))) {
        return sendAuthText(res, 403, "Refused: the form's security token is missing or out of date.");
      }
      seeOther(res, WEB_ROOT);
    });
  }
}
