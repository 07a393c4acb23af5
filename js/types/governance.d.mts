/**
 * Proposes `call` on `track`: posts `reasons` (the signer as the sole author) and proposes the
 * call on that post, paying the track's deposit and pool fee. Resolves with the proposal's id,
 * its post and the pool that decides it.
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {import('@polkadot/api/types').AddressOrPair} signer the proposer
 * @param {object} proposal
 * @param {number} proposal.track
 * @param {import('@polkadot/api/types').SubmittableExtrinsic<'promise'> | import('@polkadot/types/interfaces').Call} proposal.call e.g. `api.tx.rewards.setBlockReward(...)` (on the track's allow-list)
 * @param {string} proposal.reasons the post's content
 * @returns {Promise<{ proposal: number, post: number, pool: number, inclusion: import('./submit.mjs').Inclusion }>}
 */
export function propose(api: import("@polkadot/api").ApiPromise, signer: import("@polkadot/api/types").AddressOrPair, { track, call, reasons }: {
    track: number;
    call: import("@polkadot/api/types").SubmittableExtrinsic<"promise"> | import("@polkadot/types/interfaces").Call;
    reasons: string;
}): Promise<{
    proposal: number;
    post: number;
    pool: number;
    inclusion: import("./submit.mjs").Inclusion;
}>;
/**
 * Votes on `proposal` by staking `amount` REP for or against it in its pool.
 *
 * @param {import('@polkadot/api').ApiPromise} api connected with the GPoW definitions (`api.rpc.governance`)
 * @param {import('@polkadot/api/types').AddressOrPair} signer
 * @param {object} vote
 * @param {number} vote.proposal
 * @param {boolean} vote.aye
 * @param {bigint | number | string} vote.amount REP, 12 decimals
 * @returns {Promise<import('./submit.mjs').Inclusion>}
 */
export function vote(api: import("@polkadot/api").ApiPromise, signer: import("@polkadot/api/types").AddressOrPair, { proposal, aye, amount }: {
    proposal: number;
    aye: boolean;
    amount: bigint | number | string;
}): Promise<import("./submit.mjs").Inclusion>;
export namespace TRACKS {
    let parameters: number;
    let upgrade: number;
    let emergency: number;
}
