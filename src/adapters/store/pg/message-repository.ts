/**
 * Messages seen in incident channels (from message events, or fetched once for a reaction), on PostgreSQL, so
 * that a timeline reaction resolves from the database instead of a rate-limited Slack call. The reference
 * behaviour is ../message-repository.ts.
 */
import { and, eq, isNotNull, isNull, lt, notInArray, sql } from 'drizzle-orm';
import type { ChannelAuthor, MessageRepo, NewMessage, StoredMessage } from '../../../domain/ports/store.js';
import { incidents, slackMessages } from './schema.js';
import type { PgSession } from './session.js';

/**
 * A Slack ts as a number, to order messages by time: its leading digits and decimals, 0 when it has none.
 * SQLite's `cast(ts as real)` never fails; PostgreSQL's cast refuses a text that is not a number, so the
 * number is cut out of the text first. `numeric` keeps all of a ts's 16 digits, which a double does not.
 */
const tsAsNumber = sql`coalesce(substring(${slackMessages.ts} from '^([0-9]+(\\.[0-9]*)?)')::numeric, 0)`;

export class PgMessageRepository implements MessageRepo {
  constructor(private readonly session: PgSession) {}

  async get(channelId: string, ts: string): Promise<StoredMessage | null> {
    const [r] = await this.session.query<Record<string, unknown>>({
      name: 'message_get',
      text: 'select * from slack_messages where channel_id = $1 and ts = $2',
      values: [channelId, ts],
    });
    if (!r) return null;
    const ms = (v: unknown) => (v === null ? null : Number(v));
    return {
      channelId: r.channel_id as string,
      ts: r.ts as string,
      threadTs: r.thread_ts as string | null,
      userId: r.user_id as string | null,
      text: r.text as string,
      files: (r.files as StoredMessage['files'] | null) ?? [],
      editedAt: ms(r.edited_at),
      deletedAt: ms(r.deleted_at),
      receivedAt: Number(r.received_at),
    };
  }

  /**
   * Who wrote the channel's messages still kept: each author with how many messages and the ts of the first,
   * in order of that first message. The first ts is the smallest as text in byte order (`collate "C"`), as
   * SQLite compares text, whatever the database's collation.
   */
  async authors(channelId: string): Promise<ChannelAuthor[]> {
    return this.session
      .db()
      .select({
        userId: sql<string>`${slackMessages.userId}`,
        messages: sql<number>`count(*)::int`,
        firstTs: sql<string>`min(${slackMessages.ts} collate "C")`,
      })
      .from(slackMessages)
      .where(and(eq(slackMessages.channelId, channelId), isNotNull(slackMessages.userId)))
      .groupBy(slackMessages.userId)
      .orderBy(sql`min(${tsAsNumber})`, slackMessages.userId);
  }

  /** Records a message as first seen; a message already known (fetched, edited or deleted since) is left as it is. */
  async addIfNew(m: NewMessage, at: number): Promise<boolean> {
    // A named statement: every message event of an incident channel stores one, so the server parses and
    // plans it once per connection rather than each time.
    const rows = await this.session.query({
      name: 'message_add_if_new',
      text: `insert into slack_messages (channel_id, ts, thread_ts, user_id, text, files, received_at)
        values ($1, $2, $3, $4, $5, $6, $7) on conflict (channel_id, ts) do nothing returning 1`,
      // jsonb takes the files as JSON text (node-postgres would send an array as a PostgreSQL array)
      values: [m.channelId, m.ts, m.threadTs, m.userId, m.text, JSON.stringify(m.files), at],
    });
    return rows.length === 1;
  }

  /**
   * Stores the edited content of a message (recording it when it was not known yet). A message known to be
   * deleted keeps its blank text: an edit delivered late (a retry) must not bring the words back.
   */
  async edit(m: NewMessage, editedAt: number, at: number): Promise<void> {
    const { channelId, ts, threadTs, userId, text, files } = m;
    await this.session
      .db()
      .insert(slackMessages)
      .values({ channelId, ts, threadTs, userId, text, files, editedAt, receivedAt: at })
      .onConflictDoUpdate({
        target: [slackMessages.channelId, slackMessages.ts],
        set: { text, files, editedAt, ...(threadTs ? { threadTs } : {}) },
        setWhere: isNull(slackMessages.deletedAt),
      });
  }

  /**
   * Marks a message deleted in Slack and blanks its text and files; an unknown one is recorded as deleted
   * (with its thread and author when `previous` names them), so a late event about it is recognised.
   */
  async markDeleted(
    channelId: string,
    ts: string,
    deletedAt: number,
    previous: Pick<NewMessage, 'threadTs' | 'userId'> | null,
  ): Promise<void> {
    await this.session
      .db()
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
      });
  }

  /** Blanks the stored text and files of a message that stays in Slack (a redacted timeline entry). */
  async blank(channelId: string, ts: string): Promise<void> {
    await this.session
      .db()
      .update(slackMessages)
      .set({ text: '', files: [] })
      .where(and(eq(slackMessages.channelId, channelId), eq(slackMessages.ts, ts)));
  }

  /**
   * Deletes messages received before `before`, except those of a channel whose incident is still open: while
   * it is open, a reaction, edit or deletion of any of its messages must find the message here (a purged one
   * would cost a Slack call to read again, and a deleted one could not be recognised). Deletes at most
   * `limit`; returns the count. Rows another instance's purge is deleting at this moment are skipped.
   */
  async purge(before: number, limit: number): Promise<number> {
    const db = this.session.db();
    const openChannels = db
      .select({ channelId: sql<string>`${incidents.channelId}` })
      .from(incidents)
      .where(and(isNotNull(incidents.channelId), sql`${incidents.status} <> 'resolved'`));
    const batch = db
      .select({ channelId: slackMessages.channelId, ts: slackMessages.ts })
      .from(slackMessages)
      .where(and(lt(slackMessages.receivedAt, before), notInArray(slackMessages.channelId, openChannels)))
      .limit(limit)
      .for('update', { skipLocked: true });
    const result = await db
      .delete(slackMessages)
      .where(sql`(${slackMessages.channelId}, ${slackMessages.ts}) in ${batch}`);
    return result.rowCount ?? 0;
  }
}
