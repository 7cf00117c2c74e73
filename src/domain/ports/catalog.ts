/** The service catalog, as the core uses it. */
import type { Severity } from '../incident.js';
import type { FollowUpTarget } from './tracker.js';

/** A runbook of a catalog service: a link, a markdown file in the runbooks folder, or a file with a link. */
export interface CatalogRunbook {
  readonly title: string;
  /** http(s) link; null for a file runbook when the catalog has no `runbooks_url` */
  readonly url: string | null;
  /** the file as written in the catalog, relative to the runbooks folder; null for a link runbook */
  readonly file: string | null;
  /** absolute path of that file; null for a link runbook */
  readonly path: string | null;
}

/** A catalog service as use cases see it; the catalog adapter's Service fits it. */
export interface CatalogService {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly description: string | null;
  /** the owning team */
  readonly owner: string;
  /** Slack channel ID of the owning team */
  readonly teamChannel: string | null;
  readonly runbooks: readonly CatalogRunbook[];
  /** where pages go; null when the service cannot be paged */
  readonly pagerduty: {
    readonly routingKey: string | null;
    readonly rest: { readonly serviceId: string; readonly escalationPolicyId: string } | null;
  } | null;
  readonly autoPage: readonly Severity[];
  /** where its follow-up issues go (`follow_ups:`); null when the service names none */
  readonly followUps: FollowUpTarget | null;
}

/** The service catalog in force: lookups, suggestions, title matching, paging policy. */
export interface ServiceCatalog {
  readonly services: readonly CatalogService[];
  /** where follow-ups of services without their own `follow_ups` go (the top-level `follow_ups`); null when none */
  readonly followUps: FollowUpTarget | null;
  /** the service with this name or alias (case and punctuation ignored), or null */
  find(nameOrAlias: string): CatalogService | null;
  /** service names nearest to a mistyped word, nearest first */
  suggest(word: string, limit?: number): string[];
  /** services named in the title as whole words, in order of mention */
  matchTitle(title: string): CatalogService[];
  canPage(service: CatalogService): boolean;
  autoPages(service: CatalogService, severity: Severity): boolean;
}

/** A markdown runbook of a catalog service that has no web link: it is uploaded to the incident channel. */
export interface RunbookFile {
  readonly service: string;
  readonly title: string;
  /** as written in the catalog, relative to the runbooks folder */
  readonly file: string;
  /** absolute path */
  readonly path: string;
}

/**
 * Where use cases find the catalog. It is reloaded while Muster runs (file edits, SIGHUP), so `current` is
 * read at each use, never kept.
 */
export interface CatalogSource {
  /** the catalog in force; null when Muster runs without a catalog file */
  readonly current: ServiceCatalog | null;
  /** the catalog file as configured (CATALOG_PATH), for saying where it is expected */
  readonly path: string;
  /** The content of a file runbook. Throws when the file cannot be read. */
  readRunbook(file: RunbookFile): Promise<string>;
}
