// @polkadot/api definitions of the GPoW JSON-RPC methods (SSK, reputation, PoW attestations,
// services, governance), for dapps and the tests; `gpowApiOptions` at the end holds them all.
//
// ---- SSK (pallets/ssk/rpc) ----
//
//   import { ApiPromise, WsProvider } from '@polkadot/api';
//   import { sskRpc, sskTypes } from '@gpow/api/definitions';
//   const api = await ApiPromise.create({ provider, rpc: sskRpc, types: sskTypes });
//   const latest = await api.rpc.ssk.latest(from, to);      // Option<SskEnvelopeJson>
//   const key = await api.rpc.ssk.encryptionKey(who);         // Option<SskKeyJson>
//
// The node serves (pallets/ssk/rpc):
//   ssk_latest(from: SS58, to: SS58, at?: BlockHash)
//     -> null | { suite, epoch, recipientKeyVersion, expiry, enc: "0x..", ciphertext: "0x..", postedAt }
//   ssk_encryptionKey(who: SS58, at?: BlockHash) -> null | { version, key: "0x.." }

/**
 * The options of `ApiPromise.create` for a part of GPoW (or all of it, `gpowApiOptions`): the
 * JSON-RPC methods by section and the types they use.
 *
 * @typedef {{ rpc: Record<string, Record<string, import('@polkadot/types/types').DefinitionRpc>>, types: import('@polkadot/types/types').RegistryTypes }} ApiDefinitions
 */

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

/** Both, to spread into the options of ApiPromise.create.
 *
 * @type {ApiDefinitions}
 */
export const sskApiOptions = { rpc: sskRpc, types: sskTypes };

// ---- Reputation (pallets/reputation/rpc) ----
//
//   import { reputationApiOptions } from '@gpow/api/definitions';
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

/** Both, to spread into the options of ApiPromise.create.
 *
 * @type {ApiDefinitions}
 */
export const reputationApiOptions = { rpc: reputationRpc, types: reputationTypes };

// ---- PoW attestations (pallets/pow-attest/rpc) ----
//
//   import { powAttestApiOptions } from '@gpow/api/definitions';
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

/** Both, to spread into the options of ApiPromise.create.
 *
 * @type {ApiDefinitions}
 */
export const powAttestApiOptions = { rpc: powAttestRpc, types: powAttestTypes };

// ---- Service market (pallets/services/rpc) ----
//
//   import { servicesApiOptions } from '@gpow/api/definitions';
//   const api = await ApiPromise.create({ provider, ...servicesApiOptions });
//   const quote = await api.rpc.services.quote(0, 10, '2000000000000');  // ServicesQuoteJson
//   const offers = await api.rpc.services.offers(0);                     // Vec<ServicesOfferJson>
//   const instance = await api.rpc.services.instance(0);                 // Option<ServicesInstanceJson>
//
// The node serves:
//   services_quote(serviceType: u32, volume: u64, maxRate: decimal string | 0x-hex | number,
//     definition?: Hash, at?: BlockHash) -> { provider, rate, fee, withinRate }, or the JSON-RPC
//     error { code: 2, message, data: "unknownServiceType" | "zeroVolume" | "noOffers" |
//     "noProviderWithinRate" | "noProviderWithCapacity" | "feeOverflow" } when no provider fits
//   services_offers(serviceType: u32, at?: BlockHash) -> [{ provider, id, capacity, used, rate,
//     endpoint: "0x..", stake, committed, active }]
//   services_instance(id: u64, at?: BlockHash) -> null | { serviceType, consumer, provider,
//     definition, payload: "0x..", volume, rate, fee, backing, requestedAt, deadline, status:
//     "assigned" | "evaluating" | "completed" | "failed" | "unjudged" | "cancelled" | "declined",
//     pool, post, result }   (pool, post and result are set while the instance is evaluated)
// Currency and REP amounts are decimal strings (u128); ids, volumes and block numbers numbers.

/** The JSON answers of the services_* methods as @polkadot/api types. */
export const servicesTypes = {
  ServicesQuoteJson: {
    provider: 'AccountId',
    rate: 'u128',
    fee: 'u128',
    withinRate: 'u32',
  },
  ServicesOfferJson: {
    provider: 'AccountId',
    id: 'u32',
    capacity: 'u64',
    used: 'u64',
    rate: 'u128',
    endpoint: 'Bytes',
    stake: 'u128',
    committed: 'u128',
    active: 'u32',
  },
  ServicesStatusJson: {
    _enum: ['Assigned', 'Evaluating', 'Completed', 'Failed', 'Unjudged', 'Cancelled', 'Declined'],
  },
  ServicesInstanceJson: {
    serviceType: 'u32',
    consumer: 'AccountId',
    provider: 'AccountId',
    definition: 'Hash',
    payload: 'Bytes',
    volume: 'u64',
    rate: 'u128',
    fee: 'u128',
    backing: 'u128',
    requestedAt: 'BlockNumber',
    deadline: 'BlockNumber',
    status: 'ServicesStatusJson',
    pool: 'Option<u64>',
    post: 'Option<u64>',
    result: 'Option<Hash>',
  },
};

/** The `rpc` option of ApiPromise.create: `api.rpc.services.{quote,offers,instance}`. */
export const servicesRpc = {
  services: {
    quote: {
      description:
        'A dry run of negotiation (at block `at`, default best): the provider, rate and fee of `volume` units of `serviceType` at up to `maxRate` per unit; fails naming the reason when no provider fits.',
      params: [
        { name: 'serviceType', type: 'u32' },
        { name: 'volume', type: 'u64' },
        { name: 'maxRate', type: 'u128' },
        { name: 'definition', type: 'Hash', isOptional: true },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'ServicesQuoteJson',
    },
    offers: {
      description: 'The offers of `serviceType` (at block `at`, default best).',
      params: [
        { name: 'serviceType', type: 'u32' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Vec<ServicesOfferJson>',
    },
    instance: {
      description: 'Service instance `id` with its status (at block `at`, default best), or null.',
      params: [
        { name: 'id', type: 'u64' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Option<ServicesInstanceJson>',
    },
  },
};

/** Both, to spread into the options of ApiPromise.create.
 *
 * @type {ApiDefinitions}
 */
export const servicesApiOptions = { rpc: servicesRpc, types: servicesTypes };

// ---- Governance (pallets/governance/rpc) ----
//
//   import { governanceApiOptions } from '@gpow/api/definitions';
//   const api = await ApiPromise.create({ provider, ...governanceApiOptions });
//   const tracks = await api.rpc.governance.tracks();           // Vec<GovernanceTrackJson>
//   const proposals = await api.rpc.governance.proposals(0, 50); // Vec<GovernanceProposalJson>
//   const proposal = await api.rpc.governance.proposal(3);       // Option<GovernanceProposalJson>
//
// The node serves:
//   governance_proposals(from?: u32, max?: u32 (cap 256), at?: BlockHash) -> [proposal]
//   governance_proposal(id: u32, at?: BlockHash) -> null | proposal, where proposal =
//     { id, proposer, track, post, pool, callHash, callLen, deposit, proposedAt, status:
//       "voting" | "scheduled" | "enacted" | "rejected" | "noQuorum" | "bootstrap" |
//       "unschedulable" | "cancelled", enactmentAt, succeeded }   (enactmentAt once scheduled,
//       succeeded once enacted; null otherwise)
//   governance_tracks(at?: BlockHash) -> [{ id, name, paramSet, panelSize, poolFee, deposit,
//     enactmentDelay, maxActive, active, allowedCalls: [[pallet, call]] }]
//   governance_parameters(at?: BlockHash) -> [{ name: "rewards.BlockReward", value, min, max }]
//     (the runtime parameters governance tunes, the value in effect and its clamp range)
// Currency amounts are decimal strings (u128); ids and block numbers numbers.

/** The JSON answers of the governance_* methods as @polkadot/api types. */
export const governanceTypes = {
  GovernanceStatusJson: {
    _enum: ['Voting', 'Scheduled', 'Enacted', 'Rejected', 'NoQuorum', 'Bootstrap', 'Unschedulable', 'Cancelled'],
  },
  GovernanceProposalJson: {
    id: 'u32',
    proposer: 'AccountId',
    track: 'u16',
    post: 'u64',
    pool: 'u64',
    callHash: 'Hash',
    callLen: 'u32',
    deposit: 'u128',
    proposedAt: 'BlockNumber',
    status: 'GovernanceStatusJson',
    enactmentAt: 'Option<BlockNumber>',
    succeeded: 'Option<bool>',
  },
  GovernanceTrackJson: {
    id: 'u16',
    name: 'Text',
    paramSet: 'Text',
    panelSize: 'u32',
    poolFee: 'u128',
    deposit: 'u128',
    enactmentDelay: 'BlockNumber',
    maxActive: 'u32',
    active: 'u32',
    allowedCalls: 'Vec<(Text, Text)>',
  },
  GovernanceParameterJson: {
    name: 'Text',
    value: 'u128',
    min: 'u128',
    max: 'u128',
  },
};

/** The `rpc` option of ApiPromise.create: `api.rpc.governance.{proposals,proposal,tracks}`. */
export const governanceRpc = {
  governance: {
    proposals: {
      description: 'Up to `max` (default and cap 256) governance proposals from id `from` (default 0), at block `at` (default best).',
      params: [
        { name: 'from', type: 'u32', isOptional: true },
        { name: 'max', type: 'u32', isOptional: true },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Vec<GovernanceProposalJson>',
    },
    proposal: {
      description: 'Governance proposal `id` (at block `at`, default best), or null.',
      params: [
        { name: 'id', type: 'u32' },
        { name: 'at', type: 'BlockHash', isOptional: true },
      ],
      type: 'Option<GovernanceProposalJson>',
    },
    tracks: {
      description: 'Every governance track with its settings, active proposals and allow-list (at block `at`, default best).',
      params: [{ name: 'at', type: 'BlockHash', isOptional: true }],
      type: 'Vec<GovernanceTrackJson>',
    },
    parameters: {
      description: 'Every governed runtime parameter with the value in effect and its clamp range (at block `at`, default best).',
      params: [{ name: 'at', type: 'BlockHash', isOptional: true }],
      type: 'Vec<GovernanceParameterJson>',
    },
  },
};

/** Both, to spread into the options of ApiPromise.create.
 *
 * @type {ApiDefinitions}
 */
export const governanceApiOptions = { rpc: governanceRpc, types: governanceTypes };

/** Every GPoW RPC definition (SSK, reputation, services, governance, PoW attestations) in one set of ApiPromise.create options.
 *
 * @type {ApiDefinitions}
 */
export const gpowApiOptions = {
  rpc: { ...sskRpc, ...reputationRpc, ...servicesRpc, ...governanceRpc, ...powAttestRpc },
  types: { ...sskTypes, ...reputationTypes, ...servicesTypes, ...governanceTypes, ...powAttestTypes },
};
