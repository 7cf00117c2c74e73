/**
 * Local means local: the sandbox answers only requests addressed to this machine by name. A web page on
 * another site can point its own DNS name at 127.0.0.1 (DNS rebinding) and then read and drive the sandbox
 * as if it were same-origin; its requests still carry that name in the Host header, so they are refused here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type RequestGate, sendJson } from '../../../src/index.js';

/** The names every sandbox answers to, whatever address it listens on. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
/** Listen addresses that mean "every interface": they name no host, so they add none. */
const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]']);

/** The host name of a Host header value, lower-cased, without its port; IPv6 literals keep their brackets. */
export function hostOf(header: string | undefined): string | null {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]\s]+)(?::\d{1,5})?$/.exec((header ?? '').trim().toLowerCase());
  return m?.[1] ?? null;
}

/** The host names the sandbox answers to: the loopback names, and `listenHost` when it names one address. */
export function allowedHosts(listenHost?: string): Set<string> {
  const hosts = new Set(LOOPBACK_NAMES);
  const given = (listenHost ?? '').trim().toLowerCase();
  if (!WILDCARDS.has(given)) hosts.add(given.includes(':') && !given.startsWith('[') ? `[${given}]` : given);
  return hosts;
}

/** A request gate that answers 421 to any request whose Host header is not one of `allowedHosts(listenHost)`. */
export function localHostCheck(listenHost?: string): RequestGate {
  const hosts = allowedHosts(listenHost);
  const named = [...hosts].join(', ');
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const host = hostOf(req.headers.host);
    if (host !== null && hosts.has(host)) return false;
    // nothing more is taken from a client that addresses another host
    res.setHeader('connection', 'close');
    sendJson(res, 421, {
      ok: false,
      error: 'misdirected_request',
      detail: `the Muster sandbox answers only requests to ${named}`,
    });
    return true;
  };
}
