// Governance (pallets/governance): a proposal is a forum post with a call on a track; REP holders
// vote by staking in the validation pool it opens; a passed proposal is enacted after the track's
// delay with the track's origin.

import { addPost } from './forum.mjs';
import { stake } from './pools.mjs';
import { eventData, submit } from './submit.mjs';

/** The runtime's tracks (runtime/src/governance.rs; `api.rpc.governance.tracks()` lists them). */
export const TRACKS = { parameters: 0, upgrade: 1, emergency: 2 };

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
export async function propose(api, signer, { track, call, reasons }) {
  const { post } = await addPost(api, signer, { content: reasons });
  const inclusion = await submit(api, api.tx.governance.propose(post, track, call), signer);
  const proposed = eventData(inclusion, 'governance', 'Proposed');
  return { proposal: proposed.proposal.toNumber(), post, pool: proposed.pool.toNumber(), inclusion };
}

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
export async function vote(api, signer, { proposal, aye, amount }) {
  const found = await /** @type {any} */ (api.rpc).governance.proposal(proposal);
  if (found.isNone) throw new Error(`no governance proposal ${proposal}`);
  return stake(api, signer, { pool: found.unwrap().pool.toNumber(), inFavour: aye, amount });
}
