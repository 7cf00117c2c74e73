/**
 * The words of an incident's channel where the core does the operation itself: provisioning creates the
 * channel, posts and pins the headline, sets the topic and posts the announcement, and stores what it needs
 * back (the channel id, each message's ts), so an interrupted provisioning resumes where it stopped. The chat
 * adapter only words them; everything else the core tells goes through the Notifier.
 */
import type { Incident } from '../incident.js';
import type { ChatMessage } from './chat.js';

export interface IncidentPresenter {
  /** The title as people read it (markup read, entities decoded), to name the channel after. */
  plainTitle(incident: Incident): string;
  /** The pinned headline: severity, status, roles, and what the headline hooks add. */
  headline(incident: Incident): Promise<ChatMessage>;
  /** The announcement (thread parent) in the announce channel. */
  announcement(incident: Incident): Promise<ChatMessage>;
  /** The channel topic; may look the commander's name up. */
  topic(incident: Incident): Promise<string>;
}
