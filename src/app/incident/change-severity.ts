/** Raising or lowering the severity. */
import type { Severity } from '../../domain/incident.js';
import type { Notice } from '../../domain/notices.js';
import type { Ports } from '../ports.js';
import { applyLifecycle, type LifecycleChange } from './lifecycle-change.js';

/** Stores the new severity and its timeline entry; throws DomainError when unchanged. Synchronous. */
export async function changeSeverity(
  ports: Pick<Ports, 'store' | 'clock' | 'log' | 'config'>,
  input: { number: number; severity: Severity; by: string },
): Promise<LifecycleChange & { notices: Notice[] }> {
  const change = await applyLifecycle(ports, input.number, {
    kind: 'severity',
    severity: input.severity,
    by: input.by,
  });
  ports.log.info(
    { incident: input.number, from: change.before.severity, to: change.incident.severity },
    'severity changed',
  );
  const notice: Notice = {
    kind: 'severity_changed',
    incident: change.incident,
    before: change.before.severity,
    by: change.by,
  };
  return { ...change, notices: [notice] };
}
