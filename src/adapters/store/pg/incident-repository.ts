/** Incidents and their role holders, on PostgreSQL. The reference behaviour is ../incident-repository.ts. */
import { and, asc, desc, eq, isNotNull, isNull, lte, ne, or, sql } from 'drizzle-orm';
import type { Incident } from '../../../domain/incident.js';
import type {
  IncidentListing,
  IncidentRepo,
  NewIncident,
  PendingProvisioning,
  ProvisioningClaim,
  ProvisioningState,
  RoleAssignment,
} from '../../../domain/ports/store.js';
import type { Role, RoleHolders } from '../../../domain/roles.js';
import { violates } from './errors.js';
import { atomically, Lock, lockIncident, refusable } from './locks.js';
import { incidents, roleAssignments } from './schema.js';
import type { PgSession } from './session.js';
import { toIncident, toPending } from '../incident-repository.js';

type IncidentRow = typeof incidents.$inferSelect;

export class PgIncidentRepository implements IncidentRepo {
  /** Every Slack event and command asks for the incident of its channel: a named statement, parsed once per connection. */
  private readonly byChannelQuery;
  /** lookups by channel waiting for the next turn of the event loop, one per channel (see byChannel) */
  private readonly channelLookups = new Map<string, Promise<Incident | null>>();

  constructor(private readonly session: PgSession) {
    this.byChannelQuery = session.pool
      .select()
      .from(incidents)
      .where(eq(incidents.channelId, sql.placeholder('channelId')))
      .prepare('incident_by_channel');
  }

  /**
   * Inserts an incident; the identity sequence hands out the next number, never reused. Unlike SQLite's
   * AUTOINCREMENT, a sequence does not take a number back when the transaction rolls back: the next incident
   * then skips it. Numbers only ever grow, as the port asks.
   */
  async create(input: NewIncident): Promise<Incident> {
    const [row] = await this.session
      .db()
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
      .returning();
    return toIncident(row!);
  }

  async get(number: number): Promise<Incident | null> {
    const [row] = await this.session.db().select().from(incidents).where(eq(incidents.number, number));
    return row ? toIncident(row) : null;
  }

  /**
   * The incident of a channel: every command and event starts here. Outside a transaction, the lookups of one
   * channel asked in the same turn of the event loop share one query (a burst of notes to an incident asks
   * once). A lookup only joins a query not yet sent, so its answer is never older than the call.
   */
  async byChannel(channelId: string): Promise<Incident | null> {
    if (this.session.inTransaction()) {
      const [row] = await this.session
        .db()
        .select()
        .from(incidents)
        .where(eq(incidents.channelId, channelId));
      return row ? toIncident(row) : null;
    }
    // each caller gets an incident of its own, as from a query of its own
    const own = (incident: Incident | null) => (incident ? { ...incident } : null);
    const waiting = this.channelLookups.get(channelId);
    if (waiting) return waiting.then(own);
    const lookup = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      // sent now: a later call asks again
      this.channelLookups.delete(channelId);
      const [row] = await this.byChannelQuery.execute({ channelId });
      return row ? toIncident(row) : null;
    });
    this.channelLookups.set(channelId, lookup);
    return lookup.then(own);
  }

  async byChannelName(name: string): Promise<Incident | null> {
    const [row] = await this.session
      .db()
      .select()
      .from(incidents)
      .where(eq(incidents.channelName, name))
      .orderBy(incidents.number)
      .limit(1);
    return row ? toIncident(row) : null;
  }

  /** Open incidents, newest first. */
  async listOpen(): Promise<Incident[]> {
    const rows = await this.session
      .db()
      .select()
      .from(incidents)
      .where(ne(incidents.status, 'resolved'))
      .orderBy(desc(incidents.number));
    return rows.map(toIncident);
  }

  async all(options: IncidentListing = { includePrivate: true }): Promise<Incident[]> {
    const rows = await this.session
      .db()
      .select()
      .from(incidents)
      .where(options.includePrivate ? undefined : eq(incidents.private, false))
      .orderBy(desc(incidents.number));
    return rows.map(toIncident);
  }

  /** Incidents whose channel, headline, announcement or follow-ups are not finished, held or not, oldest first. */
  async pendingProvisioning(): Promise<PendingProvisioning[]> {
    const rows = await this.session
      .db()
      .select()
      .from(incidents)
      .where(ne(incidents.provisioning, 'done'))
      .orderBy(incidents.number);
    return rows.map(toPending);
  }

  /** Claims the unfinished provisioning `c.which` names: rows another claimer has locked are skipped. */
  async claimProvisioning(c: ProvisioningClaim): Promise<PendingProvisioning[]> {
    const db = this.session.db();
    const until = incidents.provisioningClaimedUntil;
    const batch = db
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
      .limit(Math.max(c.limit, 0))
      .for('update', { skipLocked: true });
    const rows = await db
      .update(incidents)
      .set({ provisioningClaimedBy: c.owner, provisioningClaimedUntil: c.until })
      .where(sql`${incidents.number} in ${batch}`)
      .returning();
    return rows.sort((a, b) => a.number - b.number).map(toPending);
  }

  async renewProvisioning(number: number, owner: string, until: number): Promise<boolean> {
    const rows = await this.session
      .db()
      .update(incidents)
      .set({ provisioningClaimedUntil: until })
      .where(
        and(
          eq(incidents.number, number),
          eq(incidents.provisioningClaimedBy, owner),
          ne(incidents.provisioning, 'done'),
        ),
      )
      .returning({ number: incidents.number });
    return rows.length === 1;
  }

  async releaseProvisioning(number: number, owner: string): Promise<void> {
    await this.session
      .db()
      .update(incidents)
      .set({ provisioningClaimedBy: null, provisioningClaimedUntil: null })
      .where(and(eq(incidents.number, number), eq(incidents.provisioningClaimedBy, owner)));
  }

  /** Records how far provisioning got: `followups` once the channel, headline and announcement exist. */
  async markProvisioned(
    number: number,
    at: number,
    state: Exclude<ProvisioningState, 'pending'> = 'done',
  ): Promise<void> {
    await this.session
      .db()
      .update(incidents)
      .set({
        provisioning: state,
        updatedAt: at,
        ...(state === 'done' ? { provisioningClaimedBy: null, provisioningClaimedUntil: null } : {}),
      })
      .where(eq(incidents.number, number));
  }

  /**
   * Applies a partial change to an incident row (undefined members are left as they are); throws for an
   * unknown one. A channel another incident has is refused with SQLite's message (the driver's error as its
   * cause), so logs read the same on either engine; inside `store.tx` the rest of the transaction stays usable.
   */
  async update(number: number, patch: Partial<Omit<Incident, 'number'>>, at: number): Promise<Incident> {
    let row: IncidentRow | undefined;
    try {
      const write = () =>
        this.session
          .db()
          .update(incidents)
          .set({ ...patch, updatedAt: at })
          .where(eq(incidents.number, number))
          .returning();
      // only a channel can be refused: other changes spare the savepoint's two round trips
      [row] = await (patch.channelId ? refusable(this.session, write) : write());
    } catch (e) {
      if (violates(e, 'incidents_channel_id'))
        throw new Error('UNIQUE constraint failed: incidents.channel_id', { cause: e });
      throw e;
    }
    if (!row) throw new Error(`incident ${number} does not exist`);
    return toIncident(row);
  }

  async holders(number: number): Promise<RoleHolders> {
    const rows = await this.session
      .db()
      .select()
      .from(roleAssignments)
      .where(and(eq(roleAssignments.incidentNumber, number), isNull(roleAssignments.endedAt)));
    const out: RoleHolders = {};
    for (const r of rows) out[r.role as Role] = r.userId;
    return out;
  }

  async roleHistory(number: number): Promise<RoleAssignment[]> {
    const rows = await this.session
      .db()
      .select()
      .from(roleAssignments)
      .where(eq(roleAssignments.incidentNumber, number))
      .orderBy(roleAssignments.assignedAt, roleAssignments.id);
    return rows.map((r) => ({
      role: r.role as Role,
      userId: r.userId,
      assignedBy: r.assignedBy,
      assignedAt: r.assignedAt,
      endedAt: r.endedAt,
    }));
  }

  /**
   * Ends the current holder's term (if any) and records the new holder. Returns the previous holder. Two
   * handovers of one incident's roles at once (two instances) run one after the other (the incident's roles
   * lock), so the second sees the first's holder instead of failing on the one-current-holder index.
   */
  assignRole(number: number, role: Role, userId: string, by: string, at: number): Promise<string | null> {
    return atomically(this.session, async () => {
      await lockIncident(this.session, Lock.roles, number);
      const db = this.session.db();
      const [current] = await db
        .select()
        .from(roleAssignments)
        .where(
          and(
            eq(roleAssignments.incidentNumber, number),
            eq(roleAssignments.role, role),
            isNull(roleAssignments.endedAt),
          ),
        );
      if (current?.userId === userId) return userId;
      if (current) {
        await db.update(roleAssignments).set({ endedAt: at }).where(eq(roleAssignments.id, current.id));
      }
      await db
        .insert(roleAssignments)
        .values({ incidentNumber: number, role, userId, assignedBy: by, assignedAt: at });
      return current?.userId ?? null;
    });
  }
}
