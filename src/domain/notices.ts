/**
 * Every notice a use case can return: what happened, as data (`{ kind: 'status_changed', incident, before,
 * by }`), never how it looks. One union per concept, under notices/.
 */
import type { CatalogNotice } from './notices/catalog.js';
import type { FollowUpNotice } from './notices/follow-up.js';
import type { IncidentNotice } from './notices/incident.js';
import type { PagingNotice } from './notices/paging.js';
import type { PostmortemNotice } from './notices/postmortem.js';
import type { TimelineNotice } from './notices/timeline.js';

export type { CatalogNotice, FollowUpNotice, IncidentNotice, PagingNotice, PostmortemNotice, TimelineNotice };

export type Notice =
  | IncidentNotice
  | TimelineNotice
  | PagingNotice
  | PostmortemNotice
  | CatalogNotice
  | FollowUpNotice;

export type NoticeKind = Notice['kind'];
