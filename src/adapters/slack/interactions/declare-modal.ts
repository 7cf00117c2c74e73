/** The declare modal (title, severity, private, services, description, impact start), opened by `/incident declare` without a title. */
import type { Severity } from '../../../domain/incident.js';
import type { Ports } from '../../../app/ports.js';
import { servicesInput } from './declare-services.js';
import { whenInput } from '../blocks/lifecycle-modals.js';

export const DECLARE_CALLBACK = 'declare';

/** The modal view; `services` are offered when the catalog has any. */
export function declareModal(opts: {
  severity: Severity;
  /** the Private box starts ticked (`/incident declare --private` without a title) */
  private?: boolean;
  /** where the form was opened, told where the incident is; null from the App Home */
  channelId: string | null;
  services?: string[];
  /** INCIDENT_TIMEZONE, named in the impact field's hint */
  timeZone: string;
}): Record<string, unknown> {
  const sevOption = (s: number) => ({ text: { type: 'plain_text', text: `SEV-${s}` }, value: String(s) });
  const blocks: unknown[] = [
    {
      type: 'input',
      block_id: 'title',
      label: { type: 'plain_text', text: 'Title' },
      element: {
        type: 'plain_text_input',
        action_id: 'value',
        max_length: 200,
        placeholder: { type: 'plain_text', text: 'checkout returns 500s' },
      },
    },
    {
      type: 'input',
      block_id: 'severity',
      label: { type: 'plain_text', text: 'Severity' },
      element: {
        type: 'static_select',
        action_id: 'value',
        initial_option: sevOption(opts.severity),
        options: [1, 2, 3, 4].map(sevOption),
      },
    },
  ];
  const privateOption = {
    text: { type: 'plain_text', text: 'Private' },
    description: {
      type: 'plain_text',
      text: 'A private channel; announced without the title',
    },
    value: 'private',
  };
  blocks.push({
    type: 'input',
    block_id: 'private',
    optional: true,
    label: { type: 'plain_text', text: 'Visibility' },
    element: {
      type: 'checkboxes',
      action_id: 'value',
      options: [privateOption],
      ...(opts.private ? { initial_options: [privateOption] } : {}),
    },
  });
  // A multi-select up to 100 services (Slack's limit), a text field for names beyond that.
  const services = servicesInput(opts.services ?? []);
  if (services) blocks.push(services);
  blocks.push({
    type: 'input',
    block_id: 'description',
    optional: true,
    label: { type: 'plain_text', text: 'What is happening?' },
    element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 2000 },
  });
  blocks.push(
    whenInput({
      block: 'impact',
      label: 'Impact started',
      zone: opts.timeZone,
      hint: 'When customers started to feel it, if before now. Empty: record it later.',
    }),
  );
  return {
    type: 'modal',
    callback_id: DECLARE_CALLBACK,
    private_metadata: JSON.stringify({ channelId: opts.channelId }),
    title: { type: 'plain_text', text: 'Declare an incident' },
    submit: { type: 'plain_text', text: 'Declare' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

/** Opens the declare modal with the trigger id of the command, offering the catalog's services when there is one. */
export async function openDeclareModal(
  deps: Ports,
  triggerId: string,
  opts: { severity: Severity; private: boolean; channelId: string | null },
): Promise<void> {
  const services = deps.catalog.current?.services.map((s) => s.name) ?? [];
  await deps.chat.openView(
    triggerId,
    declareModal({ ...opts, services, timeZone: deps.config.INCIDENT_TIMEZONE }),
  );
}
