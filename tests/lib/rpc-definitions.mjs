// @polkadot/api definitions of the GPoW SSK JSON-RPC methods, for dapps and the tests:
//
//   import { ApiPromise, WsProvider } from '@polkadot/api';
//   import { sskRpc, sskTypes } from './rpc-definitions.mjs';
//   const api = await ApiPromise.create({ provider, rpc: sskRpc, types: sskTypes });
//   const latest = await api.rpc.ssk.latest(from, to);      // Option<SskEnvelopeJson>
//   const key = await api.rpc.ssk.encryptionKey(who);         // Option<SskKeyJson>
//
// The node serves (pallets/ssk/rpc):
//   ssk_latest(from: SS58, to: SS58, at?: BlockHash)
//     -> null | { suite, epoch, recipientKeyVersion, expiry, enc: "0x..", ciphertext: "0x..", postedAt }
//   ssk_encryptionKey(who: SS58, at?: BlockHash) -> null | { version, key: "0x.." }

/** The JSON answers as @polkadot/api types (field names as the node sends them). */
export const sskTypes = {
  SskEnvelopeJson: {
    suite: 'u16',
    epoch: 'u64',
    recipientKeyVersion: 'u32',
    expiry: 'Option<u32>',
    enc: 'Bytes',
    ciphertext: 'Bytes',
    postedAt: 'BlockNumber',
  },
  SskKeyJson: {
    version: 'u32',
    key: 'Bytes',
  },
};

/** The `rpc` option of ApiPromise.create: `api.rpc.ssk.latest` and `api.rpc.ssk.encryptionKey`. */
export const sskRpc = {
  ssk: {
    latest: {
      description: 'The latest SSK envelope from `from` to `to` (at block `at`, default best), or null.',
      params: [
        { name: 'from', type: 'AccountId' },
        { name: 'to', type: 'AccountId' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Option<SskEnvelopeJson>',
    },
    encryptionKey: {
      description: 'The current X25519 encryption key of `who` (at block `at`, default best), or null.',
      params: [
        { name: 'who', type: 'AccountId' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Option<SskKeyJson>',
    },
  },
};

/** Both, to spread into the options of ApiPromise.create. */
export const sskApiOptions = { rpc: sskRpc, types: sskTypes };
