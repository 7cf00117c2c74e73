/**
 * The interfaces the core needs from the outside world, one file each under ports/. Adapters implement them;
 * use-case tests run on the in-memory store and the real adapters run against fake servers.
 */
export * from './ports/catalog.js';
export * from './ports/chat.js';
export * from './ports/clock.js';
export * from './ports/store.js';
export * from './ports/log.js';
export * from './ports/metrics.js';
export * from './ports/notifier.js';
export * from './ports/user-directory.js';
export * from './ports/incident-presenter.js';
export * from './ports/postmortem.js';
export * from './ports/pager.js';
export * from './ports/membership.js';
export * from './ports/tracker.js';
