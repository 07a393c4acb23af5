// Validation pools on posts (pallets/reputation): open one, stake REP for or against the post,
// settle it after its window, claim the stake back with winnings (or less the binding share).

import { untilBlock } from './blocks.mjs';
import { eventData, submit } from './submit.mjs';

/**
 * Opens a validation pool on `post` under the parameter set `paramSet` (e.g. `default`), paying
 * `fee` (the pool mints REP in proportion); `panelSize` 0 lets anyone stake, more draws a
 * reputation-weighted panel. Resolves with the pool's id and the block its window ends at.
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {import('@polkadot/api/types').AddressOrPair} signer the initiator, who pays the fee
 * @param {object} pool
 * @param {number | bigint} pool.post
 * @param {bigint | number | string} pool.fee in planck (12 decimals)
 * @param {string} [pool.paramSet]
 * @param {number} [pool.panelSize]
 * @returns {Promise<{ pool: number, endsAt: number, inclusion: import('./submit.mjs').Inclusion }>}
 */
export async function openPool(api, signer, { post, fee, paramSet = 'default', panelSize = 0 }) {
  const inclusion = await submit(api, api.tx.reputation.initiatePool(post, paramSet, panelSize, fee), signer);
  const initiated = eventData(inclusion, 'reputation', 'PoolInitiated');
  return { pool: initiated.pool.toNumber(), endsAt: initiated.endsAt.toNumber(), inclusion };
}

/**
 * Stakes `amount` of the signer's free REP for (`true`) or against (`false`) the post of `pool`.
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {import('@polkadot/api/types').AddressOrPair} signer
 * @param {object} stake
 * @param {number | bigint} stake.pool
 * @param {boolean} stake.inFavour
 * @param {bigint | number | string} stake.amount REP, 12 decimals
 * @returns {Promise<import('./submit.mjs').Inclusion>}
 */
export function stake(api, signer, { pool, inFavour, amount }) {
  return submit(api, api.tx.reputation.stake(pool, inFavour ? 'For' : 'Against', amount), signer);
}

/**
 * Settles `pool` once its window has ended (anyone may): the verdict, REP to the post and along
 * its citations. Resolves with the verdict (`Passed`, `Failed`, `NoQuorum`).
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {import('@polkadot/api/types').AddressOrPair} signer
 * @param {number | bigint} pool
 * @returns {Promise<{ verdict: string, inclusion: import('./submit.mjs').Inclusion }>}
 */
export async function settle(api, signer, pool) {
  const inclusion = await submit(api, api.tx.reputation.settle(pool), signer);
  return { verdict: eventData(inclusion, 'reputation', 'PoolSettled').verdict.type, inclusion };
}

/**
 * Claims the signer's stake in a settled pool. Resolves with what it paid back (REP).
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {import('@polkadot/api/types').AddressOrPair} signer
 * @param {number | bigint} pool
 * @returns {Promise<{ payout: bigint, inclusion: import('./submit.mjs').Inclusion }>}
 */
export async function claim(api, signer, pool) {
  const inclusion = await submit(api, api.tx.reputation.claim(pool), signer);
  return { payout: eventData(inclusion, 'reputation', 'Claimed').payout.toBigInt(), inclusion };
}

/**
 * Resolves once `pool`'s window has ended for the next block, so a settlement sent now is taken.
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {number | bigint} pool
 * @returns {Promise<void>}
 */
export async function windowEnd(api, pool) {
  const record = /** @type {any} */ (await api.query.reputation.pools(pool));
  if (record.isNone) throw new Error(`no pool ${pool}`);
  await untilBlock(api, record.unwrap().endsAt.toNumber() - 1);
}
