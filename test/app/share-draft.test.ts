/**
 * Sharing a postmortem draft a stopped instance left, on in-memory ports: claimed once its drafter's lease ran
 * out and told through the same notice, rebuilt from what the draft stored; a draft whose markdown was forgotten
 * is given up (and logged), never shared empty; holding the lease runs the upload only for its holder.
 */
import { describe, expect, it } from 'vitest';
import { holdingUpload, resumeUploads, UPLOAD_LEASE_MS } from '../../src/app/postmortem/share-draft.js';
import type { DraftFigures, Log } from '../../src/domain/ports.js';
import type { UnitPorts } from '../support/unit-ports.js';
import { declared } from './declared.js';

const figures: DraftFigures = {
  draft: true,
  duration: null,
  elapsed: { ms: 1_500_000, text: '25 min' },
  timelineCount: 4,
  actionCount: 1,
};

/** A log that keeps its warnings with their bindings. */
function warningsLog(): { log: Log; warnings: { facts: object; msg: string }[] } {
  const warnings: { facts: object; msg: string }[] = [];
  const at = (bindings: object): Log => ({
    debug: () => {},
    info: () => {},
    warn: (facts: object | string, msg?: string) => {
      warnings.push(
        typeof facts === 'string'
          ? { facts: bindings, msg: facts }
          : { facts: { ...bindings, ...facts }, msg: msg ?? '' },
      );
    },
    error: () => {},
    child: (more) => at({ ...bindings, ...more }),
  });
  return { log: at({}), warnings };
}

/** INC-1 with its channel, and a draft that `instance-a` stored and holds, as `/incident postmortem` leaves it. */
async function draftOfStoppedInstance(content = '# INC-1: search is slow\n') {
  const { ports, incident } = await declared();
  const inc = await ports.store.incidents.update(incident.number, { channelId: 'C0INC' }, ports.clock.now());
  const now = ports.clock.now();
  const postmortem = await ports.store.postmortems.add({
    incidentNumber: inc.number,
    filename: (v) => `postmortem-INC-1-v${v}.md`,
    content,
    requestedBy: 'U0BOB',
    createdAt: now,
    upload: { lease: { owner: 'instance-a', until: now + UPLOAD_LEASE_MS }, figures },
  });
  return { ports, incident: inc, postmortem };
}

/** Whether `owner` holds the sharing of draft 1 (a renewal only its holder's succeeds). */
const holds = (ports: UnitPorts, owner: string) =>
  ports.store.postmortems.renewUpload(1, owner, ports.clock.now() + UPLOAD_LEASE_MS);

describe('resumeUploads', () => {
  it("shares a stopped instance's draft once its lease ran out, through the notice its drafter would have told", async () => {
    const { ports, incident, postmortem } = await draftOfStoppedInstance();
    ports.clock.advance(UPLOAD_LEASE_MS - 1);
    await resumeUploads(ports);
    expect(ports.notifier.notices).toEqual([]);

    ports.clock.advance(1);
    await resumeUploads(ports);
    expect(ports.notifier.of('postmortem_written')).toEqual([
      {
        kind: 'postmortem_written',
        incident,
        postmortem,
        draft: { markdown: '# INC-1: search is slow\n', ...figures },
        by: 'U0BOB',
      },
    ]);
    // this instance holds it now: the next sweep leaves it to the upload under way
    expect(await holds(ports, 'unit-instance')).toBe(true);
    await resumeUploads(ports);
    expect(ports.notifier.notices).toHaveLength(1);
  });

  it('gives up a draft whose markdown was forgotten since, and says so in the log; it is never shared', async () => {
    const { ports } = await draftOfStoppedInstance();
    const { log, warnings } = warningsLog();
    ports.log = log;
    // a message the draft quoted was deleted
    await ports.store.postmortems.forgetContent(1, 0);
    ports.clock.advance(UPLOAD_LEASE_MS);
    await resumeUploads(ports);
    expect(ports.notifier.notices).toEqual([]);
    expect(warnings).toEqual([
      {
        facts: { incident: 1, postmortem: 1, reason: 'content_forgotten' },
        msg: 'postmortem draft left by a stopped instance given up, not shared',
      },
    ]);
    ports.clock.advance(UPLOAD_LEASE_MS * 10);
    await resumeUploads(ports);
    expect(ports.notifier.notices).toEqual([]);
    expect(await holds(ports, 'unit-instance')).toBe(false);
  });
});

describe('holdingUpload', () => {
  it('runs the upload only for the instance that holds the draft', async () => {
    const { ports, postmortem } = await draftOfStoppedInstance();
    const ran: string[] = [];
    const upload = (who: string) => async () => {
      ran.push(who);
      await ports.store.postmortems.markUploaded(postmortem.id, 'F1', null, ports.clock.now());
      return who;
    };
    expect(await holdingUpload(ports, postmortem, upload('unit-instance'))).toBeNull();
    expect(
      await holdingUpload({ ...ports, instanceId: 'instance-a' }, postmortem, upload('instance-a')),
    ).toBe('instance-a');
    // uploaded: nobody holds it any more
    expect(
      await holdingUpload({ ...ports, instanceId: 'instance-a' }, postmortem, upload('again')),
    ).toBeNull();
    expect(ran).toEqual(['instance-a']);
  });
});
