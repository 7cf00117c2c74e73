/**
 * Postmortem drafts in memory: numbered versions per incident; the markdown is read back only for a draft whose
 * sharing is claimed from an instance that died (its lease ran out).
 */
import type {
  AbandonedUpload,
  DraftFigures,
  Lease,
  PostmortemRecord,
  PostmortemRepo,
} from '../../domain/ports.js';
import { checkIncident, copy, type MemoryDb, nextId, type PostmortemRow } from './tables.js';
import type { Synchronous } from '../store/serial-store.js';

const toRecord = (r: PostmortemRow): PostmortemRecord => ({
  id: r.id,
  incidentNumber: r.incidentNumber,
  version: r.version,
  filename: r.filename,
  fileId: r.fileId,
  permalink: r.permalink,
  requestedBy: r.requestedBy,
  createdAt: r.createdAt,
  uploadedAt: r.uploadedAt,
});

/** PostmortemRepo in memory. */
export class MemoryPostmortemRepository implements Synchronous<PostmortemRepo> {
  constructor(private readonly db: MemoryDb) {}

  private draftsOf(incidentNumber: number): PostmortemRow[] {
    return [...this.db.tables.postmortems.values()].filter((p) => p.incidentNumber === incidentNumber);
  }

  add(row: {
    incidentNumber: number;
    filename: (version: number) => string;
    content: string;
    requestedBy: string;
    createdAt: number;
    upload?: { lease: Lease; figures: DraftFigures };
  }): PostmortemRecord {
    const t = this.db.tables;
    const version = Math.max(0, ...this.draftsOf(row.incidentNumber).map((p) => p.version)) + 1;
    const filename = row.filename(version);
    checkIncident(t, row.incidentNumber);
    const stored: PostmortemRow = {
      id: nextId(t, 'postmortems'),
      incidentNumber: row.incidentNumber,
      version,
      filename,
      content: row.content,
      fileId: null,
      permalink: null,
      requestedBy: row.requestedBy,
      createdAt: row.createdAt,
      uploadedAt: null,
      figures: row.upload ? copy(row.upload.figures) : null,
      uploadClaimedBy: row.upload?.lease.owner ?? null,
      uploadClaimedUntil: row.upload?.lease.until ?? null,
      uploadGivenUpAt: null,
    };
    t.postmortems.set(stored.id, stored);
    return toRecord(stored);
  }

  markUploaded(id: number, fileId: string, permalink: string | null, at: number): void {
    const row = this.db.tables.postmortems.get(id);
    if (!row) return;
    Object.assign(row, {
      fileId,
      permalink,
      uploadedAt: at,
      uploadClaimedBy: null,
      uploadClaimedUntil: null,
    });
  }

  markGivenUp(id: number, at: number): void {
    const row = this.db.tables.postmortems.get(id);
    if (!row) return;
    Object.assign(row, { uploadGivenUpAt: at, uploadClaimedBy: null, uploadClaimedUntil: null });
  }

  claimAbandonedUploads(c: Lease & { now: number; limit: number }): AbandonedUpload[] {
    return [...this.db.tables.postmortems.values()]
      .filter(
        (p) =>
          p.uploadClaimedUntil !== null &&
          p.uploadClaimedUntil <= c.now &&
          p.uploadedAt === null &&
          p.uploadGivenUpAt === null,
      )
      .sort((a, b) => a.id - b.id)
      .slice(0, Math.max(c.limit, 0))
      .map((p) => {
        p.uploadClaimedBy = c.owner;
        p.uploadClaimedUntil = c.until;
        return { postmortem: toRecord(p), markdown: p.content, figures: copy(p.figures!) };
      });
  }

  renewUpload(id: number, owner: string, until: number): boolean {
    const row = this.db.tables.postmortems.get(id);
    if (row?.uploadClaimedBy !== owner || row.uploadedAt !== null || row.uploadGivenUpAt !== null)
      return false;
    row.uploadClaimedUntil = until;
    return true;
  }

  forgetContent(incidentNumber: number, since: number): number {
    const drafts = this.draftsOf(incidentNumber).filter((p) => p.createdAt >= since);
    for (const p of drafts) p.content = '';
    return drafts.length;
  }

  /** The stored markdown of a draft, for tests: the port never reads it back (null for an unknown draft). */
  content(id: number): string | null {
    return this.db.tables.postmortems.get(id)?.content ?? null;
  }

  latestUploaded(incidentNumber: number): PostmortemRecord | null {
    const uploaded = this.draftsOf(incidentNumber)
      .filter((p) => p.uploadedAt !== null)
      .sort((a, b) => b.version - a.version);
    return uploaded[0] ? toRecord(uploaded[0]) : null;
  }
}
