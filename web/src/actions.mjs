// Running what a user asked for (a form or a button): build the transaction, sign it with the
// chosen account, send it with @gpow/api's `submit` and report in an output element: progress,
// "done in block #n", or the error in words (the chain's named error with its doc comment from
// the metadata, or the pool's refusal), never a stack trace.

import { submit } from '@gpow/api';

import { h, replace } from './dom.mjs';

/** An output element for the results of actions (announced by screen readers). */
export function output() {
  return h('p', { class: 'result', role: 'status', 'aria-live': 'polite' });
}

/**
 * Runs `makeTx()` (which may throw an Error in words about the input) as the selected account and
 * reports into `out`. Resolves with the submission's result, or null when it failed.
 */
export async function run(ctx, out, what, makeTx) {
  const show = (kind, text) => {
    out.dataset.kind = kind;
    replace(out, text);
  };
  try {
    const account = ctx.account();
    if (!account) throw new Error('Choose an account to sign with first (top of the page).');
    const tx = makeTx();
    show('pending', `${what}: signing and waiting for a block…`);
    const [signer, options] = await account.signer();
    const inclusion = await submit(ctx.api, tx, signer, options);
    show('ok', `${what}: done in block #${inclusion.number}.`);
    ctx.refresh();
    return inclusion;
  } catch (e) {
    show('error', `${what} failed: ${e.message}`);
    return null;
  }
}

/**
 * A form that runs an action on submit: `fields` are its controls, `makeTx(form)` builds the
 * transaction from the form's values.
 */
export function actionForm(ctx, { id, title, submit, fields, makeTx }) {
  const out = output();
  const button = h('button', { type: 'submit' }, submit);
  const form = h('form', { id, class: 'card', 'aria-label': title }, h('h3', {}, title), fields, button, out);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    await run(ctx, out, title, () => makeTx(form.elements));
    button.disabled = false;
  });
  return form;
}
