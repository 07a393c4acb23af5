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
export function openPool(api: import("@polkadot/api").ApiPromise, signer: import("@polkadot/api/types").AddressOrPair, { post, fee, paramSet, panelSize }: {
    post: number | bigint;
    fee: bigint | number | string;
    paramSet?: string;
    panelSize?: number;
}): Promise<{
    pool: number;
    endsAt: number;
    inclusion: import("./submit.mjs").Inclusion;
}>;
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
export function stake(api: import("@polkadot/api").ApiPromise, signer: import("@polkadot/api/types").AddressOrPair, { pool, inFavour, amount }: {
    pool: number | bigint;
    inFavour: boolean;
    amount: bigint | number | string;
}): Promise<import("./submit.mjs").Inclusion>;
/**
 * Settles `pool` once its window has ended (anyone may): the verdict, REP to the post and along
 * its citations. Resolves with the verdict (`Passed`, `Failed`, `NoQuorum`).
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {import('@polkadot/api/types').AddressOrPair} signer
 * @param {number | bigint} pool
 * @returns {Promise<{ verdict: string, inclusion: import('./submit.mjs').Inclusion }>}
 */
export function settle(api: import("@polkadot/api").ApiPromise, signer: import("@polkadot/api/types").AddressOrPair, pool: number | bigint): Promise<{
    verdict: string;
    inclusion: import("./submit.mjs").Inclusion;
}>;
/**
 * Claims the signer's stake in a settled pool. Resolves with what it paid back (REP).
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {import('@polkadot/api/types').AddressOrPair} signer
 * @param {number | bigint} pool
 * @returns {Promise<{ payout: bigint, inclusion: import('./submit.mjs').Inclusion }>}
 */
export function claim(api: import("@polkadot/api").ApiPromise, signer: import("@polkadot/api/types").AddressOrPair, pool: number | bigint): Promise<{
    payout: bigint;
    inclusion: import("./submit.mjs").Inclusion;
}>;
/**
 * Resolves once `pool`'s window has ended for the next block, so a settlement sent now is taken.
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {number | bigint} pool
 * @returns {Promise<void>}
 */
export function windowEnd(api: import("@polkadot/api").ApiPromise, pool: number | bigint): Promise<void>;
