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

// ---- Reputation (pallets/reputation/rpc) ----
//
//   import { reputationApiOptions } from './rpc-definitions.mjs';
//   const api = await ApiPromise.create({ provider, ...reputationApiOptions });
//   const rep = await api.rpc.reputation.rep(who);   // ReputationRepJson
//   const post = await api.rpc.reputation.post(0);   // Option<ReputationPostJson>
//   const pool = await api.rpc.reputation.pool(0);   // Option<ReputationPoolJson>
//
// The node serves:
//   reputation_rep(who: SS58, at?: BlockHash) -> { free, staked, bonded, claimableFees,
//     totalSupply }
//   reputation_post(id: u64, at?: BlockHash) -> null | { poster, authors: [{ account, weight }],
//     contentHash, citations: [{ target: { post: id } | "incinerator", weight, flowed }], value,
//     createdAt, citedBy, pools }
//   reputation_pool(id: u64, at?: BlockHash) -> null | { post, initiator, params: { duration,
//     quorum, winRatio, binding, redistributeLosingStakes, mintingRatio, stakeForAuthor,
//     citationDepth, minFee }, fee, state: "open" | "settled", verdict: null | "passed" | "failed"
//     | "noQuorum", memberWinnings, totalFor, totalAgainst, mintedFor, mintedAgainst, stakeFor,
//     stakeAgainst, backer, backing, quorumBase, openedAt, endsAt, panel, voters, unclaimedStakes, remaining,
//     bootstrap }
// REP and currency amounts are decimal strings (u128), ratios parts per billion, the minting
// ratio a decimal string with 18 decimals ("1.000000000000000000").

/** The JSON answers of the reputation_* methods as @polkadot/api types. */
export const reputationTypes = {
  ReputationRepJson: {
    free: 'u128',
    staked: 'u128',
    bonded: 'u128',
    claimableFees: 'u128',
    totalSupply: 'u128',
  },
  ReputationAuthorJson: {
    account: 'AccountId',
    weight: 'u32',
  },
  ReputationTargetJson: {
    _enum: { Post: 'u64', Incinerator: 'Null' },
  },
  ReputationCitationJson: {
    target: 'ReputationTargetJson',
    weight: 'i32',
    flowed: 'u128',
  },
  ReputationPostJson: {
    poster: 'AccountId',
    authors: 'Vec<ReputationAuthorJson>',
    contentHash: 'Hash',
    citations: 'Vec<ReputationCitationJson>',
    value: 'u128',
    createdAt: 'BlockNumber',
    citedBy: 'u32',
    pools: 'u32',
  },
  ReputationParamsJson: {
    duration: 'BlockNumber',
    quorum: 'u32',
    winRatio: 'u32',
    binding: 'u32',
    redistributeLosingStakes: 'bool',
    mintingRatio: 'Text',
    stakeForAuthor: 'u32',
    citationDepth: 'u8',
    minFee: 'u128',
  },
  ReputationVerdictJson: {
    _enum: ['Passed', 'Failed', 'NoQuorum'],
  },
  ReputationPoolJson: {
    post: 'u64',
    initiator: 'AccountId',
    params: 'ReputationParamsJson',
    fee: 'u128',
    state: 'Text',
    verdict: 'Option<ReputationVerdictJson>',
    memberWinnings: 'Option<u128>',
    totalFor: 'u128',
    totalAgainst: 'u128',
    mintedFor: 'u128',
    mintedAgainst: 'u128',
    stakeFor: 'u128',
    stakeAgainst: 'u128',
    backer: 'Option<AccountId>',
    backing: 'u128',
    quorumBase: 'u128',
    openedAt: 'BlockNumber',
    endsAt: 'BlockNumber',
    panel: 'Option<Vec<AccountId>>',
    voters: 'u32',
    unclaimedStakes: 'u32',
    remaining: 'u128',
    bootstrap: 'bool',
  },
};

/** The `rpc` option of ApiPromise.create: `api.rpc.reputation.{rep,post,pool}`. */
export const reputationRpc = {
  reputation: {
    rep: {
      description: "An account's free and staked REP, its claimable fees and the REP supply (at block `at`, default best).",
      params: [
        { name: 'who', type: 'AccountId' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'ReputationRepJson',
    },
    post: {
      description: 'Forum post `id` with its value and citations (at block `at`, default best), or null.',
      params: [
        { name: 'id', type: 'u64' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Option<ReputationPostJson>',
    },
    pool: {
      description: 'Validation pool `id` with its parameters, state and tallies (at block `at`, default best), or null.',
      params: [
        { name: 'id', type: 'u64' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Option<ReputationPoolJson>',
    },
  },
};

/** Both, to spread into the options of ApiPromise.create. */
export const reputationApiOptions = { rpc: reputationRpc, types: reputationTypes };

// ---- PoW attestations (pallets/pow-attest/rpc) ----
//
//   import { powAttestApiOptions } from './rpc-definitions.mjs';
//   const api = await ApiPromise.create({ provider, ...powAttestApiOptions });
//   const round = await api.rpc.powAttest.currentRound();            // u64
//   const work = await api.rpc.powAttest.workScore(gate, round);     // Option<PowAttestWorkScoreJson>
//   const all = await api.rpc.powAttest.scores(round);               // Vec<PowAttestRoundScoreJson>
//   const known = await api.rpc.powAttest.isRegistered(gate);        // bool
//
// The node serves:
//   powAttest_currentRound(at?: BlockHash) -> number   (floor(timestamp / RoundPeriod))
//   powAttest_workScore(gate: "0x" 32 bytes, round: number, at?: BlockHash)
//     -> null | { challenges, score }
//   powAttest_scores(round: number, at?: BlockHash) -> [{ gate: "0x..", challenges, score }]
//   powAttest_isRegistered(gate: "0x" 32 bytes, at?: BlockHash) -> bool
// Gates are ed25519 public keys; scores are decimal strings (u128), rounds and challenge counts
// numbers.

/** The JSON answers of the powAttest_* methods as @polkadot/api types. */
export const powAttestTypes = {
  PowAttestWorkScoreJson: {
    challenges: 'u32',
    score: 'u128',
  },
  PowAttestRoundScoreJson: {
    gate: 'H256',
    challenges: 'u32',
    score: 'u128',
  },
};

/** The `rpc` option of ApiPromise.create: `api.rpc.powAttest.{currentRound,workScore,scores,isRegistered}`. */
export const powAttestRpc = {
  powAttest: {
    currentRound: {
      description: "The chain's current keep-alive round (at block `at`, default best): floor(timestamp / RoundPeriod).",
      params: [{ name: 'at', type: 'BlockHash', isOptional: true }],
      type: 'u64',
    },
    workScore: {
      description: 'The work `gate` attested in `round` (at block `at`, default best), or null.',
      params: [
        { name: 'gate', type: 'H256' },
        { name: 'round', type: 'u64' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Option<PowAttestWorkScoreJson>',
    },
    scores: {
      description: "Every gate's attested work in `round` (at block `at`, default best).",
      params: [
        { name: 'round', type: 'u64' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Vec<PowAttestRoundScoreJson>',
    },
    isRegistered: {
      description: 'Whether `gate` is a registered gate identity (at block `at`, default best).',
      params: [
        { name: 'gate', type: 'H256' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'bool',
    },
  },
};

/** Both, to spread into the options of ApiPromise.create. */
export const powAttestApiOptions = { rpc: powAttestRpc, types: powAttestTypes };

/** Every GPoW RPC definition (SSK, reputation, PoW attestations) in one set of ApiPromise.create options. */
export const gpowApiOptions = {
  rpc: { ...sskRpc, ...reputationRpc, ...powAttestRpc },
  types: { ...sskTypes, ...reputationTypes, ...powAttestTypes },
};
