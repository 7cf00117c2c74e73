/** The Slack presentation of the timeline notices: Block Kit and mrkdwn live here, never in the use cases. */
import type { TimelineNotice } from '../../../domain/notices.js';
import type { NoticeHandlers } from './notice-handlers.js';

export const timelineNotices: NoticeHandlers<TimelineNotice> = {};
