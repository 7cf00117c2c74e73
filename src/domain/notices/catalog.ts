/** What the catalog use cases tell people, as data; the notifier decides how it looks. */
import type { Incident } from '../incident.js';
import type { RunbookFile } from '../ports/catalog.js';
import type { RunbookLink } from '../ports/store.js';

/** An owning team's channel to tell about the incident, with the team's services it names. */
export interface TeamToTell {
  channel: string;
  owner: string;
  services: readonly string[];
}

export type CatalogNotice =
  /**
   * Services are attached to an incident that has a channel: their runbooks are to be posted there, the file
   * runbooks shared and every link bookmarked, each owning team's channel told, and the headline refreshed.
   * A service the catalog no longer has keeps its name with a null owner.
   */
  | {
      kind: 'services_attached';
      incident: Incident;
      services: readonly { name: string; owner: string | null }[];
      /** the services' runbook links stored so far */
      links: readonly RunbookLink[];
      /** the services' file runbooks not yet shared in the channel */
      files: readonly RunbookFile[];
      teams: readonly TeamToTell[];
      /** the incident commander, for the team channels */
      commander: string | null;
      /** who the shared files are linked by, and when */
      by: string;
      at: number;
    }
  /**
   * Runbooks were linked with `/incident runbook` (shown in the command's answer): the file runbooks are to be
   * shared in the channel, every link bookmarked, and the headline refreshed.
   */
  | {
      kind: 'runbooks_linked';
      incident: Incident;
      /** links added now */
      links: readonly RunbookLink[];
      /** file runbooks to share */
      files: readonly RunbookFile[];
      by: string;
      at: number;
    };
