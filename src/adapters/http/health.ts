/** Liveness, readiness (the database must answer) and the Prometheus endpoint. */
import type { Store } from '../store/store.js';
import type { Metrics } from './metrics.js';
import { type HttpServer, sendJson } from './server.js';

export function registerHealthRoutes(http: HttpServer, store: Store, metrics: Metrics): void {
  http.route('GET', '/healthz', ({ res }) => sendJson(res, 200, { status: 'ok' }), 'healthz');
  http.route(
    'GET',
    '/readyz',
    ({ res }) => {
      if (store.ping()) sendJson(res, 200, { status: 'ready' });
      else sendJson(res, 503, { status: 'not ready', reason: 'the database does not answer' });
    },
    'readyz',
  );
  http.route(
    'GET',
    '/metrics',
    async ({ res }) => {
      if (store.ping()) metrics.openIncidents.set(store.incidents.listOpen().length);
      const body = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(body);
    },
    'metrics',
  );
}
