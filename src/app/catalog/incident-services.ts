/** The service catalog's part in an incident's life: attached on declare, announced once the channel exists, on the headline. */
import type { HeadlineExtras } from '../incident/hooks.js';

/** Room the runbook links may take on the headline; its extra lines are cut at 2,900 characters. */
const HEADLINE_RUNBOOK_CHARS = 1500;

/** Headline lines: the attached services and the linked runbooks (the first ones that fit; `runbook` lists all). */
export const servicesHeadline: HeadlineExtras = async (incidentNumber, ports) => {
  const services = (await ports.store.services.attached(incidentNumber)).map((a) => a.service);
  const runbooks: { title: string; url: string }[] = [];
  let room = HEADLINE_RUNBOOK_CHARS;
  for (const l of await ports.store.services.links(incidentNumber)) {
    room -= l.url.length + l.title.length + 8;
    if (room < 0) break;
    runbooks.push({ title: l.title, url: l.url });
  }
  return { ...(services.length ? { services } : {}), ...(runbooks.length ? { runbooks } : {}) };
};
