// Submitting an extrinsic and waiting for it to be in a block (not finalized: GPoW finalizes only
// at depth), with the chain's errors in words.

import { describeDispatchError, describeRpcError } from './errors.mjs';

/** How long `submit` and `sendInBlock` wait for inclusion by default. */
export const INCLUSION_TIMEOUT_MS = 240_000;

/**
 * @typedef {object} Inclusion
 * @property {import('@polkadot/types/interfaces').BlockHash} blockHash the block the extrinsic is in
 * @property {number} number that block's number
 * @property {number} index the extrinsic's index in the block
 * @property {import('@polkadot/types/interfaces').EventRecord[]} events the extrinsic's own events
 * @property {import('@polkadot/types/interfaces').EventRecord[]} allEvents every event of the block
 * @property {import('./errors.mjs').DescribedError | null} error why it failed (`ExtrinsicFailed`, or the inner call of `sudo.sudo` in `Sudid`), or null
 */

/**
 * @typedef {object} SendOptions
 * @property {number} [nonce] the signer's nonce (default: the pool's next)
 * @property {bigint | number} [tip]
 * @property {number} [era] mortality (0: immortal)
 * @property {number} [timeoutMs] how long to wait for inclusion (default INCLUSION_TIMEOUT_MS)
 */

/**
 * Signs and sends `tx` from `signer` and resolves once it is in a block, whether its dispatch
 * succeeded or not (see `error`). Rejects when the pool refuses it (the refusal in words), when it
 * is dropped, invalid or usurped, or after `timeoutMs`.
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {import('@polkadot/api/types').SubmittableExtrinsic<'promise'>} tx
 * @param {import('@polkadot/api/types').AddressOrPair} signer a keyring pair, or an address with `options.signer` (e.g. a browser extension's)
 * @param {SendOptions & Partial<import('@polkadot/api/types').SignerOptions>} [options]
 * @returns {Promise<Inclusion>}
 */
export async function sendInBlock(api, tx, signer, options = {}) {
  const { timeoutMs = INCLUSION_TIMEOUT_MS, ...signerOptions } = options;
  const what = `${tx.method.section}.${tx.method.method}`;
  /** @type {(() => void) | undefined} */
  let unsub;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const blockHash = await new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not in a block after ${timeoutMs / 1000} s`)), timeoutMs);
    tx.signAndSend(signer, signerOptions, ({ status }) => {
      if (status.isInBlock) resolve(status.asInBlock);
      else if (status.isInvalid || status.isDropped || status.isUsurped) reject(new Error(`${what}: ${status.type}`));
    })
      .then((u) => {
        unsub = u;
      })
      .catch((e) => reject(new Error(`${what}: ${describeRpcError(e)}`)));
  }).finally(() => {
    clearTimeout(timer);
    if (unsub) unsub();
  });
  const [block, allEvents] = await Promise.all([
    api.rpc.chain.getBlock(blockHash),
    api.at(blockHash).then((at) => at.query.system.events()),
  ]);
  /** @type {import('@polkadot/types/interfaces').EventRecord[]} */
  const records = /** @type {any} */ (allEvents);
  const index = block.block.extrinsics.findIndex((x) => x.hash.eq(tx.hash));
  if (index < 0) throw new Error(`${what}: ${tx.hash.toHex()} is not in block ${blockHash.toHex()}, which reported it`);
  const events = records.filter(({ phase }) => phase.isApplyExtrinsic && phase.asApplyExtrinsic.eq(index));
  const failed = events.find(({ event }) => api.events.system.ExtrinsicFailed.is(event))?.event.data[0];
  const sudid = events.find(({ event }) => event.section === 'sudo' && event.method === 'Sudid')?.event.data[0];
  const error = failed ?? (/** @type {any} */ (sudid)?.isErr ? /** @type {any} */ (sudid).asErr : null);
  return {
    blockHash,
    number: block.block.header.number.toNumber(),
    index,
    events,
    allEvents: records,
    error: error ? describeDispatchError(api, /** @type {any} */ (error)) : null,
  };
}

/**
 * Like `sendInBlock`, and requires the dispatch to succeed: rejects with an Error whose message
 * is the dispatch error in words (`reputation.InsufficientRep: ...`), the described error in its
 * `dispatch` property.
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {import('@polkadot/api/types').SubmittableExtrinsic<'promise'>} tx
 * @param {import('@polkadot/api/types').AddressOrPair} signer
 * @param {SendOptions & Partial<import('@polkadot/api/types').SignerOptions>} [options]
 * @returns {Promise<Inclusion>}
 */
export async function submit(api, tx, signer, options = {}) {
  const inclusion = await sendInBlock(api, tx, signer, options);
  if (inclusion.error) {
    throw Object.assign(new Error(inclusion.error.text), { dispatch: inclusion.error, inclusion });
  }
  return inclusion;
}

/**
 * The address of a signer (a keyring pair, or an address).
 *
 * @param {import('@polkadot/api/types').AddressOrPair} signer
 * @returns {string}
 */
export function signerAddress(signer) {
  return typeof signer === 'object' && 'address' in signer ? signer.address : signer.toString();
}

/**
 * The data of the first event `section.method` among an inclusion's events, or undefined.
 *
 * @param {Inclusion} inclusion
 * @param {string} section e.g. `reputation`
 * @param {string} method e.g. `PostAdded`
 * @returns {any}
 */
export function eventData(inclusion, section, method) {
  return inclusion.events.find(({ event }) => event.section === section && event.method === method)?.event.data;
}
