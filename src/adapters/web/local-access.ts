/**
 * The sandbox's access to the web page: local, no sign-in, everyone is the given person. The sandbox serves
 * on 127.0.0.1 (and checks the Host header), so only this machine reaches it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpServer } from '../http/server.js';
import type { Viewer, WebAccess } from './viewer.js';

export class LocalAccess implements WebAccess {
  private readonly key = randomBytes(32);

  constructor(private readonly person: Viewer) {}

  viewer(_req: IncomingMessage): Viewer {
    return this.person;
  }

  /** Nobody signs out of the sandbox, so its pages carry no sign-out form; the token exists for forms to come. */
  csrfToken(_req: IncomingMessage): string {
    return createHmac('sha256', this.key).update(this.person.userId).digest('base64url');
  }

  refuse(_req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('not signed in');
  }

  register(_http: HttpServer): void {}
}
