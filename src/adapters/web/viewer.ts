/** Who is looking at the web page, and how a request proves it: Sign in with Slack, or the local sandbox. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpServer } from '../http/server.js';

/** A person signed in to the web page. */
export interface Viewer {
  userId: string;
  teamId: string;
  name: string;
}

/** How the web page learns who is looking, and turns away those it cannot name. */
export interface WebAccess {
  /** the viewer of a request, or null when not signed in */
  viewer(req: IncomingMessage): Viewer | null;
  /** the CSRF token a signed-in page puts in its forms (logout) */
  csrfToken(req: IncomingMessage): string | null;
  /** answers a request nobody signed in for: redirect (303) to the sign-in route keeping the requested /incidents path, or 401 text for non-GET */
  refuse(req: IncomingMessage, res: ServerResponse): void;
  /** registers the routes it owns */
  register(http: HttpServer): void;
}
