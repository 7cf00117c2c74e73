/** The Slack presentation of the postmortem notices: Block Kit and mrkdwn live here, never in the use cases. */
import type { PostmortemNotice } from '../../../domain/notices.js';
import type { NoticeHandlers } from './notice-handlers.js';

export const postmortemNotices: NoticeHandlers<PostmortemNotice> = {};
