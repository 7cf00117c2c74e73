/** Finding a catalog service by what someone typed, with the nearest names when they mistyped it. */
import { DomainError } from '../../domain/errors.js';
import type { CatalogService, ServiceCatalog } from '../../domain/ports.js';
import type { Ports } from '../ports.js';
import { escapeMrkdwn } from '../../adapters/slack/mrkdwn.js';
import { ELLIPSIS, fitMrkdwn } from '../../adapters/slack/text-fit.js';

/** The catalog in force, or null when Muster runs without one. */
export function currentCatalog(deps: Pick<Ports, 'catalog'>): ServiceCatalog | null {
  return deps.catalog.current;
}

/**
 * The service with this name or alias. Throws DomainError `catalog.none` when there is no catalog and
 * `catalog.unknown_service` (with the nearest names) when it has no such service.
 */
export function requireService(deps: Pick<Ports, 'catalog' | 'config'>, nameOrAlias: string): CatalogService {
  const catalog = currentCatalog(deps);
  if (!catalog) {
    throw new DomainError(
      'catalog.none',
      `Muster has no service catalog (nothing at \`${deps.config.CATALOG_PATH}\`), so it knows no services. ` +
        '`catalog.example.yaml` shows the format.',
      { path: deps.config.CATALOG_PATH },
    );
  }
  const service = catalog.find(nameOrAlias);
  if (service) return service;
  const suggestions = catalog.suggest(nameOrAlias);
  const typed = quoteTyped(nameOrAlias);
  const hint = suggestions.length
    ? ` Did you mean ${suggestions.map((s) => `\`${s}\``).join(', ')}?`
    : ` \`/incident services\` lists the ${catalog.services.length} services.`;
  throw new DomainError('catalog.unknown_service', `No service ${typed} in the catalog.${hint}`, {
    name: nameOrAlias,
    suggestions,
  });
}

/**
 * What someone typed, quoted for a Slack message: cut, with `<` and `>` escaped so it cannot form a
 * mention or link. `&` is left alone: Slack already sends typed text with its entities encoded.
 */
export function quoteTyped(text: string, max = 60): string {
  const quoted = text.replace(/[<>]|&(?!(?:amp|lt|gt);)/g, (c) => escapeMrkdwn(c));
  return `"${fitMrkdwn(quoted, max + ELLIPSIS.length)}"`;
}
