/** The Slack presentation of the catalog notices: Block Kit and mrkdwn live here, never in the use cases. */
import type { CatalogNotice } from '../../../domain/notices.js';
import type { NoticeHandlers } from './notice-handlers.js';

export const catalogNotices: NoticeHandlers<CatalogNotice> = {};
