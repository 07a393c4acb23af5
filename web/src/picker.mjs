// The account picker: which account signs. Remembers the choice (by address) across visits.

import { h, replace } from './dom.mjs';

const KEY = 'gpow-account';

/** The picker's element and its state; `set(accounts, chainType)` fills it for a chain. */
export function accountPicker() {
  const select = h('select', { id: 'account', 'aria-label': 'Signing account', disabled: true });
  const note = h('small', { id: 'account-note' }, 'Accounts load with the chain.');
  const el = h('label', { class: 'picker' }, h('span', {}, 'Sign as'), select, note);
  let accounts = [];
  select.addEventListener('change', () => localStorage.setItem(KEY, select.value));

  /** Fills the picker with `accounts` (see accounts.mjs) for a chain of type `chainType`. */
  function set(list, chainType) {
    accounts = list;
    select.replaceChildren(...list.map((a) => h('option', { value: a.address }, a.label)));
    select.disabled = list.length === 0;
    const saved = localStorage.getItem(KEY);
    if (list.some((a) => a.address === saved)) select.value = saved;
    const dev = list.some((a) => a.source === 'dev');
    const fromExtension = list.some((a) => a.source === 'extension');
    replace(
      note,
      list.length === 0
        ? `No account: install the polkadot.js extension to sign on this ${chainType} chain.`
        : dev
          ? `${fromExtension ? 'Extension and ' : ''}dev accounts: this is a ${chainType} chain; dev keys are public.`
          : 'Signing with the polkadot.js extension.',
    );
  }

  /** Clears the picker while connecting elsewhere. */
  function clear() {
    set([], 'unknown');
    replace(note, 'Accounts load with the chain.');
  }

  /** Says why no account could be loaded (`error`); the picker stays empty. */
  function failed(error) {
    set([], 'unknown');
    replace(note, `Accounts could not be loaded: ${error.message}`);
  }

  /** The chosen account, or null. */
  const chosen = () => accounts.find((a) => a.address === select.value) ?? null;

  return { el, set, clear, failed, chosen };
}
