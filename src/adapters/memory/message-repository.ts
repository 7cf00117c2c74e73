/**
 * Slack messages seen in incident channels, in memory: first record stands, an edit never brings a deleted
 * message's words back, and purging spares the channels of open incidents (as the SQLite message cache).
 */
import type { ChannelAuthor, MessageRepo, NewMessage, StoredMessage } from '../../domain/ports.js';
import { asJson, copy, keyOf, type MemoryDb } from './tables.js';
import type { Synchronous } from '../store/serial-store.js';

/** MessageRepo in memory. */
export class MemoryMessageRepository implements Synchronous<MessageRepo> {
  constructor(private readonly db: MemoryDb) {}

  get(channelId: string, ts: string): StoredMessage | null {
    const row = this.db.tables.messages.get(keyOf(channelId, ts));
    return row ? copy(row) : null;
  }

  authors(channelId: string): ChannelAuthor[] {
    const by = new Map<string, ChannelAuthor>();
    for (const row of this.db.tables.messages.values()) {
      if (row.channelId !== channelId || row.userId === null) continue;
      const seen = by.get(row.userId);
      if (!seen) by.set(row.userId, { userId: row.userId, messages: 1, firstTs: row.ts });
      else {
        seen.messages += 1;
        if (Number(row.ts) < Number(seen.firstTs)) seen.firstTs = row.ts;
      }
    }
    return [...by.values()].sort(
      (a, b) =>
        Number(a.firstTs) - Number(b.firstTs) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0),
    );
  }

  addIfNew(m: NewMessage, at: number): boolean {
    const rows = this.db.tables.messages;
    const key = keyOf(m.channelId, m.ts);
    if (rows.has(key)) return false;
    rows.set(key, {
      channelId: m.channelId,
      ts: m.ts,
      threadTs: m.threadTs,
      userId: m.userId,
      text: m.text,
      files: asJson(m.files),
      editedAt: null,
      deletedAt: null,
      receivedAt: at,
    });
    return true;
  }

  edit(m: NewMessage, editedAt: number, at: number): void {
    const rows = this.db.tables.messages;
    const key = keyOf(m.channelId, m.ts);
    const row = rows.get(key);
    if (!row) {
      this.addIfNew(m, at);
      rows.get(key)!.editedAt = editedAt;
      return;
    }
    if (row.deletedAt !== null) return;
    row.text = m.text;
    row.files = asJson(m.files);
    row.editedAt = editedAt;
    if (m.threadTs) row.threadTs = m.threadTs;
  }

  markDeleted(
    channelId: string,
    ts: string,
    deletedAt: number,
    previous: Pick<NewMessage, 'threadTs' | 'userId'> | null,
  ): void {
    const rows = this.db.tables.messages;
    const key = keyOf(channelId, ts);
    const row = rows.get(key);
    if (!row) {
      rows.set(key, {
        channelId,
        ts,
        threadTs: previous?.threadTs ?? null,
        userId: previous?.userId ?? null,
        text: '',
        files: [],
        editedAt: null,
        deletedAt,
        receivedAt: deletedAt,
      });
      return;
    }
    row.deletedAt = row.deletedAt ?? deletedAt;
    row.text = '';
    row.files = [];
  }

  blank(channelId: string, ts: string): void {
    const row = this.db.tables.messages.get(keyOf(channelId, ts));
    if (!row) return;
    row.text = '';
    row.files = [];
  }

  purge(before: number, limit: number): number {
    const t = this.db.tables;
    const open = new Set<string>();
    for (const i of t.incidents.values())
      if (i.channelId !== null && i.status !== 'resolved') open.add(i.channelId);
    const expired = [...t.messages.entries()].filter(
      ([, m]) => m.receivedAt < before && !open.has(m.channelId),
    );
    // SQLite's LIMIT: a negative limit means none
    const batch = limit < 0 ? expired : expired.slice(0, limit);
    for (const [key] of batch) t.messages.delete(key);
    return batch.length;
  }
}
