import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../../src/adapters/catalog/catalog.js';
import { parseCatalog } from '../../../src/adapters/catalog/parse-catalog.js';
import { generatedCatalog } from './catalog-folder.js';

const catalog: Catalog = parseCatalog(
  `services:
  - name: checkout
    aliases: [cart]
    owner: Storefront
  - name: checkout-api
    aliases: [checkout backend]
    owner: Storefront
  - name: payments
    aliases: [payment gateway, psp]
    owner: Payments
  - name: search
    owner: Discovery
  - name: auth
    aliases: [login, single sign-on]
    owner: Identity
  - name: api.v2
    owner: Platform
`,
  { file: 'catalog.yaml', env: {} },
).catalog;

const names = (title: string): string[] => catalog.matchTitle(title).map((s) => s.name);

describe('matching incident titles to services', () => {
  it.each([
    ['Checkout returns 500s', ['checkout']],
    ['CHECKOUT down', ['checkout']],
    ['checkout: errors after deploy', ['checkout']],
    ['(checkout) and "search" slow', ['checkout', 'search']],
    ["checkout's cart page blank", ['checkout']],
    ['checkout/search 5xx', ['checkout', 'search']],
    ['Payment gateway timeouts', ['payments']],
    ['payment   GATEWAY timeouts', ['payments']],
    ['payment-gateway timeouts', ['payments']],
    ['PSP declines; Login broken', ['payments', 'auth']],
    ['single sign-on loops', ['auth']],
    ['single-sign-on loops', ['auth']],
    ['api.v2 latency', ['api.v2']],
    ['API v2 latency', ['api.v2']],
    ['search, search and search again', ['search']],
  ])('%s names %j', (title, expected) => {
    expect(names(title)).toEqual(expected);
  });

  it.each([
    'prepayments failing',
    'payments2 queue stuck',
    'researching an outage',
    'searches are slow',
    'oauth tokens rejected',
    'payment processor down',
    'gateway timeouts',
    'api latency',
    '',
    '!!! --- ???',
  ])('%j names no service', (title) => {
    expect(names(title)).toEqual([]);
  });

  it('a hyphenated word names the service that is its first part, unless a longer name or alias covers it', () => {
    expect(names('checkout-web down')).toEqual(['checkout']);
    expect(names('checkout-api down')).toEqual(['checkout-api']);
    expect(names('checkout backend and cart broken')).toEqual(['checkout-api', 'checkout']);
  });

  it('works with letters beyond ASCII and does not split them', () => {
    const c = parseCatalog(
      'services:\n  - name: zahlung\n    aliases: [Zahlungsdienst, crédit]\n    owner: t\n',
      {
        file: 'catalog.yaml',
        env: {},
      },
    ).catalog;
    expect(c.matchTitle('ZAHLUNGSDIENST gestört').map((s) => s.name)).toEqual(['zahlung']);
    expect(c.matchTitle('Crédit refusé').map((s) => s.name)).toEqual(['zahlung']);
    expect(c.matchTitle('credit refused')).toEqual([]);
  });
});

describe('finding a service by name or alias', () => {
  it('ignores case, spacing and punctuation, and knows multi-word aliases', () => {
    expect(catalog.find('Checkout')?.name).toBe('checkout');
    expect(catalog.find('payment gateway')?.name).toBe('payments');
    expect(catalog.find('Payment-Gateway')?.name).toBe('payments');
    expect(catalog.find('checkout_api')?.name).toBe('checkout-api');
    expect(catalog.find('paymentsx')).toBeNull();
    expect(catalog.find('')).toBeNull();
  });
});

describe('suggesting services for a mistyped name', () => {
  it('offers the nearest names, nearest first, one entry per service', () => {
    expect(catalog.suggest('chekout')).toEqual(['checkout']);
    expect(catalog.suggest('paymnts')).toEqual(['payments']);
    expect(catalog.suggest('serach')).toEqual(['search']);
    // "logn" is nearest to the alias login: the suggestion is the service's name.
    expect(catalog.suggest('logn')).toEqual(['auth']);
    expect(catalog.suggest('check')).toEqual(['checkout', 'checkout-api']);
    expect(catalog.suggest('kubernetes')).toEqual([]);
  });
});

describe('a catalog of 2,000 services', () => {
  const big = parseCatalog(generatedCatalog(2000), { file: 'catalog.yaml', env: {} }).catalog;

  it('matches names and multi-word aliases anywhere in the title', () => {
    expect(big.services).toHaveLength(2000);
    expect(big.matchTitle('svc-1999 and svc-0 are down').map((s) => s.name)).toEqual(['svc-1999', 'svc-0']);
    expect(big.matchTitle('Service 1234 timeouts after team 70 api 1234 deploy').map((s) => s.name)).toEqual([
      'svc-1234',
    ]);
    expect(big.matchTitle('svc 17 and svc-17x').map((s) => s.name)).toEqual(['svc-17']);
    expect(big.matchTitle('svc-2000 is not in the catalog')).toEqual([]);
    expect(big.find('SVC_42')?.name).toBe('svc-42');
  });
});
