/** Finding a catalog service by what someone typed, with the nearest names when they mistyped it. */
import { counted } from '../../domain/plural.js';
import { quoteTyped } from '../../domain/catalog-text.js';
import { DomainError } from '../../domain/errors.js';
import type { CatalogService, ServiceCatalog } from '../../domain/ports.js';
import type { Ports } from '../ports.js';

/** The catalog in force, or null when Muster runs without one. */
export function currentCatalog(ports: Pick<Ports, 'catalog'>): ServiceCatalog | null {
  return ports.catalog.current;
}

/**
 * The service with this name or alias. Throws DomainError `catalog.none` when there is no catalog and
 * `catalog.unknown_service` (with the nearest names) when it has no such service.
 */
export function requireService(ports: Pick<Ports, 'catalog'>, nameOrAlias: string): CatalogService {
  const catalog = currentCatalog(ports);
  if (!catalog) {
    throw new DomainError(
      'catalog.none',
      `Muster has no service catalog (nothing at \`${ports.catalog.path}\`), so it knows no services. ` +
        '`catalog.example.yaml` shows the format.',
      { path: ports.catalog.path },
    );
  }
  const service = catalog.find(nameOrAlias);
  if (service) return service;
  const suggestions = catalog.suggest(nameOrAlias);
  const typed = quoteTyped(nameOrAlias);
  const hint = suggestions.length
    ? ` Did you mean ${suggestions.map((s) => `\`${s}\``).join(', ')}?`
    : ` \`/incident services\` lists ${catalog.services.length === 1 ? 'the one service' : `the ${counted(catalog.services.length, 'service')}`}.`;
  throw new DomainError('catalog.unknown_service', `No service ${typed} in the catalog.${hint}`, {
    name: nameOrAlias,
    suggestions,
  });
}
