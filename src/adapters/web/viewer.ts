/** Who is looking at the web page (`/incidents`), and the gate that decides it. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpServer } from '../http/server.js';

/** A signed-in person: their Slack user id, the workspace they signed in with and the name Slack gave. */
export interface Viewer {
  userId: string;
  teamId: string;
  name: string;
}

/** Sign-in for the web page: Sign in with Slack (SlackSignIn), or a fixed person in the sandbox (LocalAccess). */
export interface WebAccess {
  /** the signed-in person of this request, or null */
  viewer(req: IncomingMessage): Viewer | null;
  /** the CSRF token a signed-in page puts in its forms (logout) */
  csrfToken(req: IncomingMessage): string | null;
  /** answers a request nobody signed in for: redirect (303) to the sign-in route keeping the requested /incidents path, or 401 text for non-GET */
  refuse(req: IncomingMessage, res: ServerResponse): void;
  /** registers the routes it owns */
  register(http: HttpServer): void;
}
