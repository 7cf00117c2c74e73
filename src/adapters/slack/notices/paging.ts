/** The Slack presentation of the paging notices: Block Kit and mrkdwn live here, never in the use cases. */
import type { PagingNotice } from '../../../domain/notices.js';
import type { NoticeHandlers } from './notice-handlers.js';

export const pagingNotices: NoticeHandlers<PagingNotice> = {};
