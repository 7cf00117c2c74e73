/** `/incident services [page]`: the service catalog, paged: owners, team channels, runbooks, whether each can be paged. */
import { currentCatalog } from '../../../app/catalog/find-service.js';
import { pageVia } from '../../../app/paging/page-target.js';
import { catalogPage, noCatalogMessage, serviceCatalogMessage } from '../blocks/service-catalog.js';
import type { CommandHandler } from './command-context.js';

export const servicesCommand: CommandHandler<'services'> = async (ctx) => {
  const catalog = currentCatalog(ctx.deps);
  if (!catalog) {
    await ctx.ack(noCatalogMessage(ctx.deps.config.CATALOG_PATH));
    return;
  }
  const { items, page, pages } = catalogPage(catalog.services, ctx.cmd.page);
  await ctx.ack(
    serviceCatalogMessage({
      services: items.map((service) => ({
        service,
        pageable: service.pagerduty !== null && pageVia(ctx.deps.config, service.pagerduty) !== null,
      })),
      page,
      pages,
      total: catalog.services.length,
      file: ctx.deps.config.CATALOG_PATH,
    }),
  );
};
