/** Incidents and their role holders, in memory: numbers never reused, one current holder per role, a unique channel. */
import type { Incident } from '../../domain/incident.js';
import type {
  IncidentListing,
  IncidentRepo,
  NewIncident,
  PendingProvisioning,
  ProvisioningClaim,
  ProvisioningState,
  RoleAssignment,
} from '../../domain/ports.js';
import type { Role, RoleHolders } from '../../domain/roles.js';
import {
  checkIncident,
  columnsOf,
  copy,
  type IncidentRow,
  type MemoryDb,
  nextId,
  StoreConstraintError,
  type Tables,
} from './tables.js';
import type { Synchronous } from '../store/serial-store.js';

/** The columns `update` may set (everything but the number). */
const INCIDENT_COLUMNS = [
  'title',
  'description',
  'severity',
  'status',
  'teamId',
  'channelId',
  'channelName',
  'private',
  'declaredBy',
  'declaredAt',
  'impactStartedAt',
  'detectedAt',
  'mitigatedAt',
  'resolvedAt',
  'summary',
  'headlineTs',
  'announceTs',
  'lastUpdateAt',
  'updatedAt',
] as const satisfies readonly (keyof Incident)[];

/** The incident as the port shows it: without the provisioning columns. */
const toIncident = (r: IncidentRow): Incident => {
  const {
    provisioning: _p,
    declareResponseUrl: _u,
    declareChannelId: _c,
    provisioningClaimedBy: _b,
    provisioningClaimedUntil: _t,
    ...incident
  } = r;
  return copy(incident);
};

const toPending = (r: IncidentRow): PendingProvisioning => ({
  ...toIncident(r),
  declareResponseUrl: r.declareResponseUrl,
  declareChannelId: r.declareChannelId,
  provisioning: r.provisioning,
});

const byNumberAsc = (t: Tables): IncidentRow[] =>
  [...t.incidents.values()].sort((a, b) => a.number - b.number);

/** IncidentRepo in memory. */
export class MemoryIncidentRepository implements Synchronous<IncidentRepo> {
  constructor(private readonly db: MemoryDb) {}

  create(input: NewIncident): Incident {
    const t = this.db.tables;
    const row: IncidentRow = {
      number: nextId(t, 'incidents'),
      title: input.title,
      description: input.description ?? '',
      severity: input.severity,
      status: 'investigating',
      teamId: input.teamId,
      channelId: null,
      channelName: null,
      private: input.private ?? false,
      declaredBy: input.declaredBy,
      declaredAt: input.declaredAt,
      impactStartedAt: null,
      detectedAt: null,
      mitigatedAt: null,
      resolvedAt: null,
      summary: null,
      headlineTs: null,
      announceTs: null,
      lastUpdateAt: null,
      updatedAt: input.declaredAt,
      provisioning: 'pending',
      declareResponseUrl: input.declareResponseUrl ?? null,
      declareChannelId: input.declareChannelId ?? null,
      provisioningClaimedBy: input.provisioningLease?.owner ?? null,
      provisioningClaimedUntil: input.provisioningLease?.until ?? null,
    };
    t.incidents.set(row.number, row);
    return toIncident(row);
  }

  get(number: number): Incident | null {
    const row = this.db.tables.incidents.get(number);
    return row ? toIncident(row) : null;
  }

  byChannel(channelId: string): Incident | null {
    const row = byNumberAsc(this.db.tables).find((r) => r.channelId === channelId);
    return row ? toIncident(row) : null;
  }

  byChannelName(name: string): Incident | null {
    const row = byNumberAsc(this.db.tables).find((r) => r.channelName === name);
    return row ? toIncident(row) : null;
  }

  listOpen(): Incident[] {
    return this.all().filter((i) => i.status !== 'resolved');
  }

  /** Every incident, newest first; private ones only when asked. */
  all(options: IncidentListing = { includePrivate: true }): Incident[] {
    return byNumberAsc(this.db.tables)
      .reverse()
      .filter((r) => options.includePrivate || !r.private)
      .map(toIncident);
  }

  pendingProvisioning(): PendingProvisioning[] {
    return byNumberAsc(this.db.tables)
      .filter((r) => r.provisioning !== 'done')
      .map(toPending);
  }

  claimProvisioning(c: ProvisioningClaim): PendingProvisioning[] {
    return byNumberAsc(this.db.tables)
      .filter(
        (r) =>
          r.provisioning !== 'done' &&
          (c.which === 'abandoned'
            ? r.provisioningClaimedUntil !== null && r.provisioningClaimedUntil <= c.now
            : r.provisioningClaimedUntil === null || r.provisioningClaimedUntil <= c.now),
      )
      .slice(0, Math.max(c.limit, 0))
      .map((r) => {
        r.provisioningClaimedBy = c.owner;
        r.provisioningClaimedUntil = c.until;
        return toPending(r);
      });
  }

  renewProvisioning(number: number, owner: string, until: number): boolean {
    const row = this.db.tables.incidents.get(number);
    if (row?.provisioningClaimedBy !== owner || row.provisioning === 'done') return false;
    row.provisioningClaimedUntil = until;
    return true;
  }

  releaseProvisioning(number: number, owner: string): void {
    const row = this.db.tables.incidents.get(number);
    if (row?.provisioningClaimedBy !== owner) return;
    row.provisioningClaimedBy = null;
    row.provisioningClaimedUntil = null;
  }

  markProvisioned(number: number, at: number, state: Exclude<ProvisioningState, 'pending'> = 'done'): void {
    const row = this.db.tables.incidents.get(number);
    if (!row) return;
    row.provisioning = state;
    row.updatedAt = at;
    if (state === 'done') {
      row.provisioningClaimedBy = null;
      row.provisioningClaimedUntil = null;
    }
  }

  update(number: number, patch: Partial<Omit<Incident, 'number'>>, at: number): Incident {
    const t = this.db.tables;
    const row = t.incidents.get(number);
    if (!row) throw new Error(`incident ${number} does not exist`);
    const set = { ...columnsOf<Incident>(patch, INCIDENT_COLUMNS), updatedAt: at };
    if (set.channelId != null) {
      for (const other of t.incidents.values())
        if (other.number !== number && other.channelId === set.channelId)
          throw new StoreConstraintError('UNIQUE constraint failed: incidents.channel_id');
    }
    Object.assign(row, set);
    return toIncident(row);
  }

  holders(number: number): RoleHolders {
    const out: RoleHolders = {};
    for (const r of this.db.tables.roles.values())
      if (r.incidentNumber === number && r.endedAt === null) out[r.role] = r.userId;
    return out;
  }

  roleHistory(number: number): RoleAssignment[] {
    return [...this.db.tables.roles.values()]
      .filter((r) => r.incidentNumber === number)
      .sort((a, b) => a.assignedAt - b.assignedAt || a.id - b.id)
      .map((r) => ({
        role: r.role,
        userId: r.userId,
        assignedBy: r.assignedBy,
        assignedAt: r.assignedAt,
        endedAt: r.endedAt,
      }));
  }

  assignRole(number: number, role: Role, userId: string, by: string, at: number): string | null {
    const t = this.db.tables;
    const current = [...t.roles.values()].find(
      (r) => r.incidentNumber === number && r.role === role && r.endedAt === null,
    );
    if (current?.userId === userId) return userId;
    checkIncident(t, number);
    if (current) current.endedAt = at;
    const id = nextId(t, 'roles');
    t.roles.set(id, {
      id,
      incidentNumber: number,
      role,
      userId,
      assignedBy: by,
      assignedAt: at,
      endedAt: null,
    });
    return current?.userId ?? null;
  }
}
