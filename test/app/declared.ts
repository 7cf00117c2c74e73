/** An incident declared through the real use case on in-memory ports: the starting point of most use-case tests. */
import { declareIncident } from '../../src/app/incident/declare-incident.js';
import type { Incident } from '../../src/domain/incident.js';
import { type UnitPorts, unitPorts } from '../support/unit-ports.js';

/** Fresh in-memory ports holding INC-1, a SEV-2 declared by U0ALICE (its commander). */
export async function declared(options: Parameters<typeof unitPorts>[0] = {}): Promise<{
  ports: UnitPorts;
  incident: Incident;
}> {
  const ports = unitPorts(options);
  const incident = await declareIncident(ports, {
    title: 'search is slow',
    severity: 2,
    teamId: 'T0TEAM',
    userId: 'U0ALICE',
  });
  return { ports, incident };
}
