// SSK: the X25519 encryption keys accounts have published (pallets/ssk), and a form to publish
// one (the public half of a key made with gpow-ssk; the secret stays with its owner).

import { hexToU8a, isHex } from '@polkadot/util';

import { actionForm } from '../actions.mjs';
import { field, h, table } from '../dom.mjs';
import { short } from '../format.mjs';

/** The view: the published keys, and the form to publish the chosen account's. */
export function sskView(ctx) {
  const { api } = ctx;

  const publishForm = actionForm(ctx, {
    id: 'ssk-form',
    title: 'Publish my encryption key',
    submit: 'Publish',
    fields: [
      field('Public key', h('input', { name: 'key', placeholder: '0x… (32 bytes)', required: true }), 'X25519 public key, e.g. from gpow-ssk keygen'),
    ],
    makeTx: (f) => {
      const key = f.key.value.trim();
      if (!isHex(key) || hexToU8a(key).length !== 32) throw new Error('The key must be 32 bytes in hex (0x and 64 hex digits).');
      return api.tx.ssk.publishKey(key);
    },
  });

  async function load() {
    const me = ctx.me();
    const keys = (await api.query.ssk.encryptionKeys.entries())
      .map(([k, v]) => ({ who: k.args[0].toString(), key: v.unwrap() }))
      .sort((a, b) => (a.who === me ? -1 : b.who === me ? 1 : a.who.localeCompare(b.who)));
    return table('Published keys', ['Account', 'Version', 'Key'], keys, ({ who, key }) => [
      who === me ? h('strong', {}, `${short(who)} (me)`) : short(who),
      key.version.toNumber(),
      h('code', {}, short(key.key.toHex())),
    ]);
  }

  return { forms: [publishForm], load };
}
