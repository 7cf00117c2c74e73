/**
 * Liveness and readiness (the database must answer) on the Slack port, and the Prometheus endpoint on its
 * own server: metrics say when an incident is on (`muster_incidents_declared_total`), so they are never
 * served to whoever can reach the Slack port.
 */
import type { IncidentStore } from '../../domain/ports.js';
import type { Metrics } from './metrics.js';
import { type HttpServer, sendJson } from './server.js';

/** Registers `GET /healthz` and `GET /readyz`. */
export function registerHealthRoutes(http: HttpServer, store: IncidentStore): void {
  http.route('GET', '/healthz', ({ res }) => sendJson(res, 200, { status: 'ok' }), 'healthz');
  http.route(
    'GET',
    '/readyz',
    async ({ res }) => {
      if (await store.ping()) sendJson(res, 200, { status: 'ready' });
      else sendJson(res, 503, { status: 'not ready', reason: 'the database does not answer' });
    },
    'readyz',
  );
}

/** Registers `GET /metrics` (on the metrics server, never on the Slack port). */
export function registerMetricsRoute(http: HttpServer, store: IncidentStore, metrics: Metrics): void {
  http.route(
    'GET',
    '/metrics',
    async ({ res }) => {
      if (await store.ping()) metrics.openIncidents.set((await store.incidents.listOpen()).length);
      const body = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(body);
    },
    'metrics',
  );
}
