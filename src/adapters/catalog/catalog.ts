/** The loaded service catalog: lookups by name or alias, title matching, suggestions and paging policy. */
import type { Severity } from '../../domain/incident.js';
import { nearestMany } from '../../domain/nearest.js';
import type { FollowUpTarget, ServiceCatalog } from '../../domain/ports.js';
import type { Service } from './service.js';
import { TitleIndex } from './title-index.js';

/** Where a catalog was read from (not the CatalogSource port, which hands out the catalog in force). */
export interface CatalogOrigin {
  /** the catalog file, as given */
  readonly file: string;
  /** absolute path of the runbooks folder next to it (it may not exist) */
  readonly runbooksDir: string;
  /** values that came from `${ENV}` references: pass them to the log scrubber */
  readonly secrets: readonly string[];
  /** the top-level `follow_ups`: where follow-ups go by default */
  readonly followUps?: FollowUpTarget | null;
}

export class Catalog implements ServiceCatalog {
  readonly services: readonly Service[];
  readonly file: string;
  readonly runbooksDir: string;
  readonly secrets: readonly string[];
  readonly followUps: FollowUpTarget | null;
  private readonly index = new TitleIndex<Service>();
  /** names and aliases with their service, for suggestions */
  private readonly labels: string[] = [];
  private readonly labelOwner = new Map<string, Service>();

  /** Builds the lookups; names and aliases must already be unique by their words (the loader checks). */
  constructor(services: readonly Service[], source: CatalogOrigin) {
    this.services = Object.freeze([...services]);
    this.file = source.file;
    this.runbooksDir = source.runbooksDir;
    this.secrets = Object.freeze([...source.secrets]);
    this.followUps = source.followUps ?? null;
    for (const service of services) {
      for (const label of [service.name, ...service.aliases]) {
        this.index.add(label, service);
        this.labels.push(label);
        this.labelOwner.set(label, service);
      }
    }
  }

  /** The service with this name or alias (case, spacing and punctuation ignored), or null. */
  find(nameOrAlias: string): Service | null {
    return this.index.get(nameOrAlias) ?? null;
  }

  /** Up to `limit` service names nearest to a mistyped word, nearest first; [] when nothing is close. */
  suggest(word: string, limit = 3): string[] {
    const names: string[] = [];
    for (const label of nearestMany(word, this.labels, this.labels.length)) {
      const name = this.labelOwner.get(label)!.name;
      if (!names.includes(name)) names.push(name);
      if (names.length === limit) break;
    }
    return names;
  }

  /** Services whose name or alias appears in the title as whole words, in order of mention. */
  matchTitle(title: string): Service[] {
    return this.index.match(title);
  }

  /** Whether the catalog gives this service a PagerDuty target (Events v2 routing key or REST ids). */
  canPage(service: Service): boolean {
    return service.pagerduty !== null;
  }

  /** Whether declaring an incident of this severity that names the service pages it automatically. */
  autoPages(service: Service, severity: Severity): boolean {
    return this.canPage(service) && service.autoPage.includes(severity);
  }
}
