/** How the Slack notifier shows one kind of notice: a function per kind, typed so that none is missing. */
import type { Notice } from '../../../domain/notices.js';
import type { Ports } from '../../../app/ports.js';

export type NoticeHandler<N extends Notice> = (notice: N, ports: Ports) => Promise<void>;

/** One handler per kind of `N`: a new kind of notice without its Slack presentation is a type error. */
export type NoticeHandlers<N extends Notice> = { [K in N['kind']]: NoticeHandler<Extract<N, { kind: K }>> };
