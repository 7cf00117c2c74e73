/**
 * Messages seen in incident channels (from message events, or fetched once for a reaction), so that a
 * timeline reaction resolves from the database instead of a rate-limited Slack call.
 */
import type { MessageRepo } from '../../domain/ports/store.js';
import type { Synchronous } from './serial-store.js';
import { and, eq, isNotNull, isNull, lt, notInArray, sql } from 'drizzle-orm';
import type { Db } from './db.js';
import { incidents, slackMessages } from './schema.js';
import type { ChannelAuthor, StoredMessage, NewMessage } from '../../domain/ports/store.js';
export type { StoredMessage, NewMessage };

export class MessageRepository implements Synchronous<MessageRepo> {
  // Every message of an incident channel is recorded and every reaction reads one: prepared once.
  private readonly getQuery;
  private readonly addQuery;

  constructor(private readonly db: Db) {
    this.getQuery = db
      .select()
      .from(slackMessages)
      .where(
        and(
          eq(slackMessages.channelId, sql.placeholder('channelId')),
          eq(slackMessages.ts, sql.placeholder('ts')),
        ),
      )
      .prepare();
    this.addQuery = db
      .insert(slackMessages)
      .values({
        channelId: sql.placeholder('channelId'),
        ts: sql.placeholder('ts'),
        threadTs: sql.placeholder('threadTs'),
        userId: sql.placeholder('userId'),
        text: sql.placeholder('text'),
        files: sql.placeholder('files'),
        receivedAt: sql.placeholder('receivedAt'),
      })
      .onConflictDoNothing()
      .prepare();
  }

  get(channelId: string, ts: string): StoredMessage | null {
    const r = this.getQuery.get({ channelId, ts });
    return r ? { ...r, files: r.files ?? [] } : null;
  }

  authors(channelId: string): ChannelAuthor[] {
    return this.db
      .select({
        userId: sql<string>`${slackMessages.userId}`,
        messages: sql<number>`count(*)`,
        firstTs: sql<string>`min(${slackMessages.ts})`,
      })
      .from(slackMessages)
      .where(and(eq(slackMessages.channelId, channelId), isNotNull(slackMessages.userId)))
      .groupBy(slackMessages.userId)
      .orderBy(sql`min(cast(${slackMessages.ts} as real))`, slackMessages.userId)
      .all();
  }

  /** Records a message as first seen; a message already known (fetched, edited or deleted since) is left as it is. */
  addIfNew(m: NewMessage, at: number): boolean {
    const { channelId, ts, threadTs, userId, text, files } = m;
    return this.addQuery.run({ channelId, ts, threadTs, userId, text, files, receivedAt: at }).changes === 1;
  }

  /**
   * Stores the edited content of a message (recording it when it was not known yet). A message known to be
   * deleted keeps its blank text: an edit delivered late (a retry) must not bring the words back.
   */
  edit(m: NewMessage, editedAt: number, at: number): void {
    this.db
      .insert(slackMessages)
      .values({ ...m, editedAt, receivedAt: at })
      .onConflictDoUpdate({
        target: [slackMessages.channelId, slackMessages.ts],
        set: { text: m.text, files: m.files, editedAt, ...(m.threadTs ? { threadTs: m.threadTs } : {}) },
        setWhere: isNull(slackMessages.deletedAt),
      })
      .run();
  }

  /**
   * Marks a message deleted in Slack and blanks its text and files; an unknown one is recorded as deleted
   * (with its thread and author when `previous` names them), so a late event about it is recognised.
   */
  markDeleted(
    channelId: string,
    ts: string,
    deletedAt: number,
    previous: Pick<NewMessage, 'threadTs' | 'userId'> | null,
  ): void {
    this.db
      .insert(slackMessages)
      .values({
        channelId,
        ts,
        threadTs: previous?.threadTs ?? null,
        userId: previous?.userId ?? null,
        text: '',
        files: [],
        deletedAt,
        receivedAt: deletedAt,
      })
      .onConflictDoUpdate({
        target: [slackMessages.channelId, slackMessages.ts],
        set: { deletedAt: sql`coalesce(${slackMessages.deletedAt}, ${deletedAt})`, text: '', files: [] },
      })
      .run();
  }

  /** Blanks the stored text and files of a message that stays in Slack (a redacted timeline entry). */
  blank(channelId: string, ts: string): void {
    this.db
      .update(slackMessages)
      .set({ text: '', files: [] })
      .where(and(eq(slackMessages.channelId, channelId), eq(slackMessages.ts, ts)))
      .run();
  }

  /**
   * Deletes messages received before `before`, except those of a channel whose incident is still open: while
   * it is open, a reaction, edit or deletion of any of its messages must find the message here (a purged one
   * would cost a Slack call to read again, and a deleted one could not be recognised). Deletes at most
   * `limit`; returns the count.
   */
  purge(before: number, limit: number): number {
    const openChannels = this.db
      .select({ channelId: sql<string>`${incidents.channelId}` })
      .from(incidents)
      .where(and(sql`${incidents.channelId} is not null`, sql`${incidents.status} <> 'resolved'`));
    const batch = this.db
      .select({ rowid: sql`rowid` })
      .from(slackMessages)
      .where(and(lt(slackMessages.receivedAt, before), notInArray(slackMessages.channelId, openChannels)))
      .limit(limit);
    return this.db.delete(slackMessages).where(sql`rowid in ${batch}`).run().changes;
  }
}
