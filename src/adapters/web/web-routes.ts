/**
 * The web page's routes under `/incidents`: the list, each incident, its postmortem as markdown, the insights
 * and the style sheet. Every page needs a viewer (signed in with Slack, or the sandbox's local person); a
 * private incident is shown only to members of its channel, and an incident the viewer may not see answers
 * as one that does not exist. Behind Sign in with Slack, a viewer whose Slack account is deactivated since
 * signing in is refused within minutes (app/web/viewer-standing.ts), not when the session runs out.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { incidentRecord } from '../../app/web/incident-record.js';
import { listIncidents, readIncidentFilter } from '../../app/web/incident-list.js';
import { viewerInsights } from '../../app/web/insights.js';
import { ViewerStanding } from '../../app/web/viewer-standing.js';
import type { Ports } from '../../app/ports.js';
import { toPostmortemData } from '../../domain/postmortem.js';
import type { HttpRequest, HttpServer } from '../http/server.js';
import { makeTimeFormatters } from '../render/time-format.js';
import { incidentListBody } from './incident-list-page.js';
import { authPageHtml } from './auth-pages.js';
import { incidentBody } from './incident-page.js';
import { INSIGHT_DAYS, insightsBody } from './insights-page.js';
import { type Frame, layout, PAGE_HEADERS, sendPage } from './web-layout.js';
import { WEB_STYLES } from './web-styles.js';
import type { Viewer, WebAccess } from './viewer.js';

export type WebPorts = Pick<
  Ports,
  'store' | 'membership' | 'log' | 'users' | 'postmortem' | 'clock' | 'config' | 'catalog' | 'chat'
>;

export interface WebPageOptions {
  ports: WebPorts;
  access: WebAccess;
  /** the path the site is served under: WEB_BASE_URL's path ('' at the root) */
  base: string;
  /** people sign in and out (Slack), and lose the page once deactivated there; false in the sandbox */
  signsIn: boolean;
}

/** Registers the web page's routes (and the access's own sign-in routes) on `http`. */
export function registerWebPages(http: HttpServer, opts: WebPageOptions): void {
  const { ports, access, base } = opts;
  // whether a signed-in person's Slack account is still active; nobody signs in to the sandbox
  const standing = opts.signsIn ? new ViewerStanding(ports) : null;
  const time = makeTimeFormatters(ports.config.INCIDENT_TIMEZONE);
  access.register(http);
  /** A page that says one thing, styled as the site, with the way back to the list. */
  const withinSite = (title: string, message: string) =>
    authPageHtml({
      title,
      message,
      link: { href: `${base}/incidents`, text: 'All incidents' },
      stylesheet: `${base}/incidents/assets/muster.css`,
    });

  const css = Buffer.from(WEB_STYLES);
  http.route(
    'GET',
    '/incidents/assets/muster.css',
    ({ res }) => {
      res.writeHead(200, {
        'content-type': 'text/css; charset=utf-8',
        'content-length': css.length,
        'cache-control': 'public, max-age=3600',
        'x-content-type-options': 'nosniff',
      });
      res.end(css);
    },
    'web_assets',
  );

  /** Runs a page for a signed-in viewer; turns away the others and answers a failure with a page, not JSON. */
  const page =
    (handler: (viewer: Viewer, url: URL, r: HttpRequest) => Promise<void>) => async (r: HttpRequest) => {
      const viewer = access.viewer(r.req);
      if (!viewer) {
        access.refuse(r.req, r.res);
        return;
      }
      if (standing && !(await standing.active(viewer.userId))) {
        sendPage(
          r.res,
          403,
          authPageHtml({
            title: 'Not in the workspace any more',
            message:
              'Your Slack account is no longer active in this workspace, so Muster does not show you its incidents. If that is a mistake, ask a workspace admin.',
            stylesheet: `${base}/incidents/assets/muster.css`,
          }),
        );
        return;
      }
      const url = new URL(r.req.url ?? '/', 'http://muster.invalid');
      try {
        await handler(viewer, url, r);
      } catch (err) {
        r.log.error({ err, path: url.pathname }, 'the web page failed');
        sendPage(
          r.res,
          500,
          withinSite(
            'Something went wrong',
            'Muster could not read what this page shows. Try again in a moment; if it keeps failing, the logs say why.',
          ),
        );
      }
    };
  const frameFor =
    (req: IncomingMessage, viewer: Viewer) =>
    (title: string, current: Frame['current']): Frame => ({
      title,
      current,
      viewer,
      base,
      csrf: opts.signsIn ? access.csrfToken(req) : null,
    });

  http.route(
    'GET',
    '/incidents',
    page(async (viewer, url, { req, res }) => {
      const now = ports.clock.now();
      const filter = readIncidentFilter(url.searchParams, now);
      const list = await listIncidents(
        ports,
        viewer.userId,
        filter,
        Number(url.searchParams.get('page')) || 1,
      );
      const body = incidentListBody({
        list,
        filter,
        base,
        now,
        time,
      });
      sendPage(res, 200, layout(frameFor(req, viewer)('Incidents', 'incidents'), body));
    }),
    'web_incidents',
  );

  http.route(
    'GET',
    '/incidents/insights',
    page(async (viewer, url, { req, res }) => {
      const asked = Number(url.searchParams.get('days'));
      const days = (INSIGHT_DAYS as readonly number[]).includes(asked) ? asked : 90;
      const service = url.searchParams.get('service')?.trim().slice(0, 200) || null;
      const report = await viewerInsights(ports, viewer.userId, { days, service });
      const services = [
        ...(ports.catalog.current?.services.map((s) => s.name) ?? []),
        ...report.byService.flatMap((s) => (s.service ? [s.service] : [])),
      ];
      const body = insightsBody({ report, days, service, services, base, time });
      sendPage(res, 200, layout(frameFor(req, viewer)('Insights', 'insights'), body));
    }),
    'web_insights',
  );

  const notFound = (res: ServerResponse) =>
    sendPage(
      res,
      404,
      withinSite('Not found', 'There is no such incident, or it is private and you are not in its channel.'),
    );

  http.routePrefix(
    'GET',
    '/incidents/',
    page(async (viewer, url, { req, res }) => {
      const m = /^\/incidents\/(\d{1,9})(\/postmortem\.md)?$/.exec(url.pathname);
      if (!m) return notFound(res);
      const record = await incidentRecord(ports, viewer.userId, Number(m[1]));
      if (!record) return notFound(res);
      if (m[2]) {
        res.writeHead(200, {
          'content-type': 'text/markdown; charset=utf-8',
          'content-disposition': `attachment; filename="postmortem-INC-${record.facts.incident.number}.md"`,
          ...PAGE_HEADERS,
        });
        res.end(record.postmortem);
        return;
      }
      const data = toPostmortemData(record.facts, {
        now: ports.clock.now(),
        timeZone: time.timeZone,
        formatDate: time.formatDate,
        formatTime: time.formatTime,
      });
      const body = await incidentBody(data, {
        base,
        postmortem: record.postmortem,
        isPrivate: record.facts.incident.private,
      });
      sendPage(res, 200, layout(frameFor(req, viewer)(`${data.ref}`, null), body));
    }),
    'web_incident',
  );
}
