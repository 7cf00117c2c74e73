/**
 * The modal a person has open (Slack's views.open / push / update), shown in a native <dialog>: focus stays
 * inside, Escape closes it, the title labels it. It is rebuilt only when the app sends a new view (id or hash
 * changes), so what the person typed survives live updates; field errors from `response_action: errors`
 * appear under their fields and the first invalid field takes focus.
 */
import { readValues, showErrors } from './block-elements.js';
import { renderBlocks } from './blocks.js';
import { plainOf } from './text.js';

/** Creates the modal controller over the page's <dialog id="modal">. */
export function createModal(dialog, actions) {
  const title = dialog.querySelector('#modal-title');
  const body = dialog.querySelector('#modal-body');
  const problem = dialog.querySelector('#modal-error');
  const submit = dialog.querySelector('#modal-submit');
  const cancel = dialog.querySelector('#modal-cancel');
  let shown = null;
  let busy = false;

  const close = async () => {
    if (!shown || busy) return;
    await actions.close(shown.id, readValues(body));
  };

  dialog.addEventListener('cancel', (e) => {
    // Escape: the app decides (view_closed), the next state closes the dialog
    e.preventDefault();
    void close();
  });
  dialog.querySelector('#modal-x').addEventListener('click', () => void close());
  cancel.addEventListener('click', () => void close());
  dialog.querySelector('form').addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!shown || busy) return;
    busy = true;
    submit.disabled = true;
    problem.textContent = '';
    try {
      const result = await actions.submit(shown.id, readValues(body));
      if (!result.ok && result.errors) showErrors(body, result.errors)?.focus();
      else if (!result.ok)
        problem.textContent = `Slack could not send this form (${result.error}). Try again.`;
    } finally {
      busy = false;
      submit.disabled = false;
    }
  });

  return {
    /** Shows `modal` (the page state's `modal`), or closes the dialog when there is none. */
    sync(modal, ctx) {
      if (!modal) {
        shown = null;
        if (dialog.open) dialog.close();
        return;
      }
      if (!shown || shown.id !== modal.id || shown.hash !== modal.hash) {
        const viewCtx = {
          ...ctx,
          // header blocks sit under the modal's h2 title
          headingLevel: 3,
          onAction: (blockId, actionId, entered) =>
            actions.press(modal.id, blockId, actionId, entered, readValues(body)),
        };
        title.textContent = plainOf(modal.title) || 'Form';
        body.replaceChildren(renderBlocks(modal.blocks, viewCtx, { key: modal.id }));
        submit.hidden = !modal.submit;
        submit.textContent = plainOf(modal.submit) || 'Submit';
        cancel.textContent = plainOf(modal.close) || (modal.submit ? 'Cancel' : 'Close');
        dialog.querySelector('#modal-x').setAttribute('aria-label', modal.stacked ? 'Back' : 'Close');
        problem.textContent = '';
        const first = !shown || shown.id !== modal.id;
        shown = { id: modal.id, hash: modal.hash };
        if (!dialog.open) dialog.showModal();
        if (first) (body.querySelector('[data-input], button') ?? submit).focus();
      }
      showErrors(body, modal.errors);
    },
  };
}
