/** Which Host headers the sandbox answers: the loopback names and the one host it was told to listen on. */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { allowedHosts, hostOf, localHostCheck } from '../src/local-host-check.js';

describe('hostOf', () => {
  it.each([
    ['localhost:3000', 'localhost'],
    ['LOCALHOST', 'localhost'],
    ['127.0.0.1:65535', '127.0.0.1'],
    ['[::1]:3000', '[::1]'],
    ['[::1]', '[::1]'],
    ['sandbox.lan:8080', 'sandbox.lan'],
    [' localhost:3000 ', 'localhost'],
  ])('reads %j as %j', (header, host) => {
    expect(hostOf(header)).toBe(host);
  });

  it.each([undefined, '', ':3000', 'localhost:', 'localhost:abc', '::1', 'a b', 'localhost:3000:1', '[::1'])(
    'reads no host in %j',
    (header) => {
      expect(hostOf(header)).toBeNull();
    },
  );
});

describe('allowedHosts', () => {
  const loopback = ['localhost', '127.0.0.1', '[::1]'];

  it('is the loopback names when the listen address names no single host', () => {
    for (const listen of [undefined, '', '0.0.0.0', '::', '[::]', '127.0.0.1', 'localhost'])
      expect([...allowedHosts(listen)].sort()).toEqual([...loopback].sort());
  });

  it('adds a specific listen address or name, IPv6 in brackets as Host headers carry it', () => {
    expect(allowedHosts('192.168.1.20').has('192.168.1.20')).toBe(true);
    expect(allowedHosts('Sandbox.LAN').has('sandbox.lan')).toBe(true);
    expect(allowedHosts('fd00::20').has('[fd00::20]')).toBe(true);
    expect(allowedHosts('192.168.1.20').has('evil.example')).toBe(false);
  });
});

describe('localHostCheck', () => {
  it('answers 421 with a short reason to other names, and lets the listen host through', async () => {
    const gate = localHostCheck('192.168.1.20');
    const server = createServer((req, res) => {
      if (!gate(req, res)) res.end('served');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const get = (host: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path: '/', headers: { host } }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        })
          .on('error', reject)
          .end();
      });
    try {
      expect(await get(`192.168.1.20:${port}`)).toEqual({ status: 200, body: 'served' });
      expect(await get(`localhost:${port}`)).toEqual({ status: 200, body: 'served' });
      const refused = await get('rebound.example');
      expect(refused.status).toBe(421);
      expect(JSON.parse(refused.body)).toEqual({
        ok: false,
        error: 'misdirected_request',
        detail: 'the Muster sandbox answers only requests to localhost, 127.0.0.1, [::1], 192.168.1.20',
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
