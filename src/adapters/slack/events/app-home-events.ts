/** `app_home_opened`: a person opened Muster's Home tab, whose view is published for them (app-home-publisher.ts). */
import type { AppHomePublisher } from '../app-home-publisher.js';
import type { EventHandler } from '../event-processor.js';

/** Publishes the Home of whoever opened it; the Messages tab (`tab: "messages"`) sends the same event and is left alone. */
export const onAppHomeOpened =
  (homes: AppHomePublisher): EventHandler =>
  async (event) => {
    if (event['tab'] !== 'home' || typeof event.user !== 'string' || event.user === '') return;
    await homes.opened(event.user);
  };
