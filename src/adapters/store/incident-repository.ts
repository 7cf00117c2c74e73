/** Incidents and their role holders. Synchronous (better-sqlite3): a use case's writes share one transaction. */
import type { IncidentListing, IncidentRepo } from '../../domain/ports/store.js';
import type { Synchronous } from './serial-store.js';
import { and, asc, desc, eq, isNotNull, isNull, lte, ne, or, sql } from 'drizzle-orm';
import type { Incident, Severity, Status } from '../../domain/incident.js';
import type { Role, RoleHolders } from '../../domain/roles.js';
import type { Db } from './db.js';
import { incidents, roleAssignments } from './schema.js';
import type {
  NewIncident,
  PendingProvisioning,
  ProvisioningClaim,
  ProvisioningState,
  RoleAssignment,
} from '../../domain/ports/store.js';
export type { NewIncident, ProvisioningState, RoleAssignment };

type IncidentRow = typeof incidents.$inferSelect;

export const toIncident = (r: IncidentRow): Incident => ({
  number: r.number,
  title: r.title,
  description: r.description,
  severity: r.severity as Severity,
  status: r.status as Status,
  teamId: r.teamId,
  channelId: r.channelId,
  channelName: r.channelName,
  private: r.private,
  declaredBy: r.declaredBy,
  declaredAt: r.declaredAt,
  impactStartedAt: r.impactStartedAt,
  detectedAt: r.detectedAt,
  mitigatedAt: r.mitigatedAt,
  resolvedAt: r.resolvedAt,
  summary: r.summary,
  headlineTs: r.headlineTs,
  announceTs: r.announceTs,
  lastUpdateAt: r.lastUpdateAt,
  updatedAt: r.updatedAt,
});

export const toPending = (r: IncidentRow): PendingProvisioning => ({
  ...toIncident(r),
  declareResponseUrl: r.declareResponseUrl,
  declareChannelId: r.declareChannelId,
  provisioning: r.provisioning as ProvisioningState,
});

export class IncidentRepository implements Synchronous<IncidentRepo> {
  /** Every Slack event asks for the incident of its channel: prepared once, not rebuilt per event. */
  private readonly byChannelQuery;

  constructor(private readonly db: Db) {
    this.byChannelQuery = db
      .select()
      .from(incidents)
      .where(eq(incidents.channelId, sql.placeholder('channelId')))
      .prepare();
  }

  /** Inserts an incident; AUTOINCREMENT hands out the next number, never reused. */
  create(input: NewIncident): Incident {
    const row = this.db
      .insert(incidents)
      .values({
        title: input.title,
        description: input.description ?? '',
        severity: input.severity,
        status: 'investigating',
        teamId: input.teamId,
        declaredBy: input.declaredBy,
        declaredAt: input.declaredAt,
        private: input.private ?? false,
        declareResponseUrl: input.declareResponseUrl ?? null,
        declareChannelId: input.declareChannelId ?? null,
        provisioningClaimedBy: input.provisioningLease?.owner ?? null,
        provisioningClaimedUntil: input.provisioningLease?.until ?? null,
        updatedAt: input.declaredAt,
      })
      .returning()
      .get();
    return toIncident(row);
  }

  get(number: number): Incident | null {
    const row = this.db.select().from(incidents).where(eq(incidents.number, number)).get();
    return row ? toIncident(row) : null;
  }

  byChannel(channelId: string): Incident | null {
    const row = this.byChannelQuery.get({ channelId });
    return row ? toIncident(row) : null;
  }

  byChannelName(name: string): Incident | null {
    const row = this.db.select().from(incidents).where(eq(incidents.channelName, name)).get();
    return row ? toIncident(row) : null;
  }

  /** Open incidents, newest first. */
  listOpen(): Incident[] {
    return this.db
      .select()
      .from(incidents)
      .where(ne(incidents.status, 'resolved'))
      .orderBy(desc(incidents.number))
      .all()
      .map(toIncident);
  }

  all(options: IncidentListing = { includePrivate: true }): Incident[] {
    return this.db
      .select()
      .from(incidents)
      .where(options.includePrivate ? undefined : eq(incidents.private, false))
      .orderBy(desc(incidents.number))
      .all()
      .map(toIncident);
  }

  /** Incidents whose channel, headline, announcement or follow-ups are not finished, held or not, oldest first. */
  pendingProvisioning(): PendingProvisioning[] {
    return this.db
      .select()
      .from(incidents)
      .where(ne(incidents.provisioning, 'done'))
      .orderBy(asc(incidents.number))
      .all()
      .map(toPending);
  }

  /** Claims the unfinished provisioning `c.which` names, in one update (two processes never get the same). */
  claimProvisioning(c: ProvisioningClaim): PendingProvisioning[] {
    const until = incidents.provisioningClaimedUntil;
    const batch = this.db
      .select({ number: incidents.number })
      .from(incidents)
      .where(
        and(
          ne(incidents.provisioning, 'done'),
          c.which === 'abandoned'
            ? and(isNotNull(until), lte(until, c.now))
            : or(isNull(until), lte(until, c.now)),
        ),
      )
      .orderBy(asc(incidents.number))
      .limit(Math.max(c.limit, 0));
    return this.db
      .update(incidents)
      .set({ provisioningClaimedBy: c.owner, provisioningClaimedUntil: c.until })
      .where(sql`${incidents.number} in ${batch}`)
      .returning()
      .all()
      .sort((a, b) => a.number - b.number)
      .map(toPending);
  }

  renewProvisioning(number: number, owner: string, until: number): boolean {
    return (
      this.db
        .update(incidents)
        .set({ provisioningClaimedUntil: until })
        .where(
          and(
            eq(incidents.number, number),
            eq(incidents.provisioningClaimedBy, owner),
            ne(incidents.provisioning, 'done'),
          ),
        )
        .run().changes === 1
    );
  }

  releaseProvisioning(number: number, owner: string): void {
    this.db
      .update(incidents)
      .set({ provisioningClaimedBy: null, provisioningClaimedUntil: null })
      .where(and(eq(incidents.number, number), eq(incidents.provisioningClaimedBy, owner)))
      .run();
  }

  /** Records how far provisioning got: `followups` once the channel, headline and announcement exist. */
  markProvisioned(number: number, at: number, state: Exclude<ProvisioningState, 'pending'> = 'done'): void {
    this.db
      .update(incidents)
      .set({
        provisioning: state,
        updatedAt: at,
        ...(state === 'done' ? { provisioningClaimedBy: null, provisioningClaimedUntil: null } : {}),
      })
      .where(eq(incidents.number, number))
      .run();
  }

  /** Applies a partial change to an incident row. */
  update(number: number, patch: Partial<Omit<Incident, 'number'>>, at: number): Incident {
    const row = this.db
      .update(incidents)
      .set({ ...patch, updatedAt: at })
      .where(eq(incidents.number, number))
      .returning()
      .get();
    if (!row) throw new Error(`incident ${number} does not exist`);
    return toIncident(row);
  }

  holders(number: number): RoleHolders {
    const rows = this.db
      .select()
      .from(roleAssignments)
      .where(and(eq(roleAssignments.incidentNumber, number), isNull(roleAssignments.endedAt)))
      .all();
    const out: RoleHolders = {};
    for (const r of rows) out[r.role as Role] = r.userId;
    return out;
  }

  roleHistory(number: number): RoleAssignment[] {
    return this.db
      .select()
      .from(roleAssignments)
      .where(eq(roleAssignments.incidentNumber, number))
      .orderBy(roleAssignments.assignedAt, roleAssignments.id)
      .all()
      .map((r) => ({
        role: r.role as Role,
        userId: r.userId,
        assignedBy: r.assignedBy,
        assignedAt: r.assignedAt,
        endedAt: r.endedAt,
      }));
  }

  /** Ends the current holder's term (if any) and records the new holder. Returns the previous holder. */
  assignRole(number: number, role: Role, userId: string, by: string, at: number): string | null {
    const current = this.db
      .select()
      .from(roleAssignments)
      .where(
        and(
          eq(roleAssignments.incidentNumber, number),
          eq(roleAssignments.role, role),
          isNull(roleAssignments.endedAt),
        ),
      )
      .get();
    if (current?.userId === userId) return userId;
    if (current) {
      this.db.update(roleAssignments).set({ endedAt: at }).where(eq(roleAssignments.id, current.id)).run();
    }
    this.db
      .insert(roleAssignments)
      .values({ incidentNumber: number, role, userId, assignedBy: by, assignedAt: at })
      .run();
    return current?.userId ?? null;
  }
}
