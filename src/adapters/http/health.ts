/**
 * Liveness and readiness (the database must answer) on the Slack port, and the Prometheus endpoint on its
 * own server: metrics say when an incident is on (`muster_incidents_declared_total`), so they are never
 * served to whoever can reach the Slack port.
 */
import type { Store } from '../store/store.js';
import type { Metrics } from './metrics.js';
import { type HttpServer, sendJson } from './server.js';

/** Registers `GET /healthz` and `GET /readyz`. */
export function registerHealthRoutes(http: HttpServer, store: Store): void {
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
}

/** Registers `GET /metrics` (on the metrics server, never on the Slack port). */
export function registerMetricsRoute(http: HttpServer, store: Store, metrics: Metrics): void {
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
