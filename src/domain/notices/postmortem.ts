/** What the postmortem use cases tell people, as data; the notifier decides how it looks. */
import type { ActionItem } from '../action-item.js';
import type { Incident } from '../incident.js';
import type { SharedDraft } from '../ports/postmortem.js';
import type { PostmortemRecord } from '../ports/store.js';
import type { TrackerKind } from '../ports/tracker.js';

export type PostmortemNotice =
  /**
   * A new draft version is stored (with its timeline entry) and is to be shared: while this instance holds the
   * draft's lease (app/postmortem/share-draft.ts), the notifier delivers the document and records where it went
   * (`postmortems.markUploaded`), or that it gave up (`markGivenUp`). Told again, from what the draft stored, by
   * the instance that claims a draft whose drafter died first. `by` asked for it.
   */
  | {
      kind: 'postmortem_written';
      incident: Incident;
      postmortem: PostmortemRecord;
      draft: SharedDraft;
      by: string;
    }
  /** `action <text>` recorded an action item (with its timeline entry); `issueIn`: its issue is queued there */
  | { kind: 'action_recorded'; incident: Incident; item: ActionItem; by: string; issueIn: TrackerKind | null }
  /** an action item was marked done (a second press tells nothing) */
  | { kind: 'action_done'; incident: Incident; item: ActionItem; by: string };
