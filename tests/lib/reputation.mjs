// Reputation helpers for the end-to-end tests: an @polkadot/api connection that knows the
// reputation_* RPC methods, submitting extrinsics that may fail (with the decoded module error),
// reading the pallet's state at a block, and an independent model of the pallet's documented
// rules (pallets/reputation/src/lib.rs, crate doc) in BigInt arithmetic, from which the test
// computes every expected number.
//
// The model covers what the end-to-end scenario uses: the REP ledger (free / staked, supply), the
// fee accumulator, open pools (no panels), stakes, settlement, claims, fee claims, and the REP flow
// through positive citations of posts and of the Incinerator. Negative citations (leaching) are
// not modelled; the model throws if it meets one.

import assert from 'node:assert/strict';

import { reputationApiOptions, sendInBlock } from '@gpow/api';
import { stringToU8a, u8aConcat } from '@polkadot/util';
import { encodeAddress } from '@polkadot/util-crypto';

/** Perbill's denominator (parts per billion). */
export const PERBILL = 1_000_000_000n;
/** The fee accumulator's scale (`pallet_reputation::FEE_SCALE`). */
export const FEE_SCALE = 10n ** 18n;
/** FixedU128's denominator. */
export const FIXED_DIV = 10n ** 18n;

/** Connects an ApiPromise that knows the reputation RPC methods; stored in `node.api`. */
export function connectWithReputation(node) {
  return node.connect(reputationApiOptions);
}

/** The pallet's pot: `PalletId::into_account_truncating` = "modl" ++ id ++ zeros, as SS58. */
export function potAddress(api) {
  const id = api.consts.reputation.palletId.toU8a();
  const raw = u8aConcat(stringToU8a('modl'), id);
  const account = new Uint8Array(32);
  account.set(raw.subarray(0, 32));
  return encodeAddress(account, api.registry.chainSS58 ?? 42);
}

/**
 * Signs and sends `tx` and resolves once it is in a block, whether it succeeded or not, with the
 * package's inclusion ({ blockHash, number, index, events (this extrinsic's), allEvents }) and
 * error: null | "section.Name", fee: TransactionFeePaid.actualFee. Rejects on Invalid / Dropped /
 * Usurped or a timeout.
 */
export async function submit(api, tx, signer, options = {}, timeoutMs = 240_000) {
  const call = `${tx.method.section}.${tx.method.method}`;
  const inclusion = await sendInBlock(api, tx, signer, { ...options, timeoutMs });
  const { events, error } = inclusion;
  if (!error) {
    assert.ok(
      events.some(({ event }) => api.events.system.ExtrinsicSuccess.is(event)),
      `neither ExtrinsicSuccess nor ExtrinsicFailed for ${call}`,
    );
  }
  const feeEvent = events.find(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event));
  assert.ok(feeEvent, `no TransactionFeePaid for ${call}`);
  const fee = feeEvent.event.data[1].toBigInt();
  return { ...inclusion, error: error && `${error.section}.${error.name}`, fee, signer: signer.address, call };
}

/** Requires that a submitted extrinsic succeeded. */
export function assertOk(res) {
  assert.equal(res.error, null, `${res.call} from ${res.signer} failed in #${res.number}: ${res.error}`);
  return res;
}

/** The events `section.method` among `events` (records), as their `event` objects. */
export function eventsNamed(events, section, method) {
  return events.filter(({ event }) => event.section === section && event.method === method).map(({ event }) => event);
}

/** Sorts submission results into chain order (block number, then extrinsic index). */
export function chainOrder(results) {
  return [...results].sort((a, b) => a.number - b.number || a.index - b.index);
}

// ---------------------------------------------------------------------------------------------
// Reading the pallet's state at a block

function big(x) {
  return x.toBigInt();
}

/** A pool record (storage) as plain BigInts/numbers/strings. */
export function poolFromStorage(p) {
  const state = p.state.isOpen
    ? { open: true }
    : { open: false, verdict: p.state.asSettled.verdict.type, memberWinnings: big(p.state.asSettled.memberWinnings) };
  return {
    post: p.post.toNumber(),
    initiator: p.initiator.toString(),
    params: paramsFromCodec(p.params),
    fee: big(p.fee),
    mintedFor: big(p.mintedFor),
    mintedAgainst: big(p.mintedAgainst),
    stakeFor: big(p.stakeFor),
    stakeAgainst: big(p.stakeAgainst),
    quorumBase: big(p.quorumBase),
    openedAt: p.openedAt.toNumber(),
    endsAt: p.endsAt.toNumber(),
    panel: p.panel.isSome ? p.panel.unwrap().map((a) => a.toString()) : null,
    voters: p.voters.toNumber(),
    unclaimedStakes: p.unclaimedStakes.toNumber(),
    remaining: big(p.remaining),
    bootstrap: p.bootstrap.isTrue,
    state,
  };
}

/** PoolParams (codec) as plain values. */
export function paramsFromCodec(p) {
  return {
    duration: p.duration.toNumber(),
    quorum: BigInt(p.quorum.toNumber()),
    winRatio: BigInt(p.winRatio.toNumber()),
    binding: BigInt(p.binding.toNumber()),
    redistributeLosingStakes: p.redistributeLosingStakes.isTrue,
    mintingRatio: big(p.mintingRatio),
    stakeForAuthor: BigInt(p.stakeForAuthor.toNumber()),
    citationDepth: p.citationDepth.toNumber(),
    minFee: big(p.minFee),
  };
}

/** A post record (storage) as plain values. */
export function postFromStorage(p) {
  return {
    poster: p.poster.toString(),
    authors: p.authors.map(([a, w]) => [a.toString(), BigInt(w.toNumber())]),
    contentHash: p.contentHash.toHex(),
    citations: p.citations.map((c) => ({
      target: c.target.isIncinerator ? 'incinerator' : { post: c.target.asPost.toNumber() },
      weight: BigInt(c.weight.toNumber()),
      negative: c.negative.isTrue,
      flowed: big(c.flowed),
    })),
    value: big(p.value),
    createdAt: p.createdAt.toNumber(),
    citedBy: p.citedBy.toNumber(),
    pools: p.pools.toNumber(),
    ticket: p.ticket,
  };
}

/**
 * The pallet's state at `hash`: totals, the accumulator, every ledger entry, the given pools,
 * their stakes by the given accounts, the given posts, the pot's balance and the sortition total.
 */
export async function readState(api, hash, { accounts = [], pools = [], posts = [] } = {}) {
  const at = await api.at(hash);
  const q = at.query.reputation;
  const pot = potAddress(api);
  const levels = api.consts.reputation.sortitionLevels.toNumber();
  const [issuance, free, staked, rpr, undist, nextPost, nextPool, potAccount, root, entries] = await Promise.all([
    q.totalIssuance(),
    q.totalFree(),
    q.totalStaked(),
    q.rewardPerRep(),
    q.undistributedFees(),
    q.nextPostId(),
    q.nextPoolId(),
    at.query.system.account(pot),
    q.sortitionTree(levels - 1, 0),
    q.accounts.entries(),
  ]);
  const ledger = new Map();
  for (const [key, value] of entries) {
    const a = value.unwrap();
    ledger.set(key.args[0].toString(), {
      free: big(a.free),
      staked: big(a.staked),
      rewardDebt: big(a.rewardDebt),
      unclaimedFees: big(a.unclaimedFees),
      slot: a.slot.isSome ? a.slot.unwrap().toNumber() : null,
    });
  }
  const state = {
    totalIssuance: big(issuance),
    totalFree: big(free),
    totalStaked: big(staked),
    rewardPerRep: big(rpr),
    undistributedFees: big(undist),
    nextPostId: nextPost.toNumber(),
    nextPoolId: nextPool.toNumber(),
    pot: big(potAccount.data.free),
    sortitionTotal: root.reduce((s, x) => s + big(x), 0n),
    ledger,
    pools: new Map(),
    stakes: new Map(),
    posts: new Map(),
    read: { accounts, pools, posts },
  };
  for (const id of pools) {
    const p = await q.pools(id);
    state.pools.set(id, p.isSome ? poolFromStorage(p.unwrap()) : null);
    for (const who of accounts) {
      const s = await q.stakes(id, who);
      if (s.isSome) state.stakes.set(`${id}/${who}`, { side: s.unwrap().side.type, amount: big(s.unwrap().amount) });
    }
  }
  for (const id of posts) {
    const p = await q.posts(id);
    state.posts.set(id, p.isSome ? postFromStorage(p.unwrap()) : null);
  }
  return state;
}

/** The pallet's invariants on a state read with readState. */
export function assertInvariants(state, what) {
  let free = 0n;
  for (const a of state.ledger.values()) free += a.free;
  let held = 0n;
  for (const p of state.pools.values()) if (p) held += p.remaining;
  assert.equal(state.totalFree, free, `${what}: TotalFree = sum of the accounts' free REP`);
  assert.equal(state.totalIssuance, state.totalFree + state.totalStaked, `${what}: TotalIssuance = TotalFree + TotalStaked`);
  assert.equal(state.totalStaked, held, `${what}: TotalStaked = REP the pools still hold`);
  assert.equal(state.sortitionTotal, state.totalFree, `${what}: the sortition tree's total = TotalFree`);
}

// ---------------------------------------------------------------------------------------------
// The model

/** `a · b / c`, rounded down or up (`multiply_by_rational_with_rounding`). */
export function mulDiv(a, b, c, up = false) {
  assert.ok(c > 0n, 'mulDiv by zero');
  const p = a * b;
  return up ? (p + c - 1n) / c : p / c;
}

/** Perbill::mul_floor: floor(x · parts / 1e9). */
export function perbillFloor(parts, x) {
  return (x * parts) / PERBILL;
}

/** Perbill::mul_ceil: ceil(x · parts / 1e9). */
export function perbillCeil(parts, x) {
  return (x * parts + PERBILL - 1n) / PERBILL;
}

/** FixedU128::saturating_mul_int for a non-negative integer: floor(x · inner / 1e18). */
export function fixedMulInt(inner, x) {
  return (inner * x) / FIXED_DIV;
}

/** The decimal string the RPC prints for a FixedU128 (18 decimals). */
export function fixedToString(inner) {
  return `${inner / FIXED_DIV}.${(inner % FIXED_DIV).toString().padStart(18, '0')}`;
}

const sub0 = (a, b) => (a > b ? a - b : 0n);
const min = (a, b) => (a < b ? a : b);

/**
 * The reputation pallet's documented rules, re-implemented. Amounts are BigInt, accounts SS58
 * strings, post and pool ids numbers. `existentialDeposit`, `maxCitationDepth` and
 * `maxPropagationVisits` come from the chain's constants.
 */
export class ReputationModel {
  constructor({ existentialDeposit, maxCitationDepth, maxPropagationVisits }) {
    this.ed = existentialDeposit;
    this.maxCitationDepth = maxCitationDepth;
    this.maxVisits = maxPropagationVisits;
    this.accounts = new Map();
    this.totalIssuance = 0n;
    this.totalFree = 0n;
    this.totalStaked = 0n;
    this.rewardPerRep = 0n;
    this.undistributed = 0n;
    this.pot = 0n;
    this.posts = new Map();
    this.nextPostId = 0;
    this.pools = new Map();
    this.nextPoolId = 0;
    this.stakes = new Map();
  }

  account(who) {
    return this.accounts.get(who) ?? { free: 0n, staked: 0n, rewardDebt: 0n, unclaimedFees: 0n };
  }

  /** Fees accrued since the debt was taken: floor(free · acc / 1e18) − debt (never negative). */
  accrued(a) {
    return sub0(mulDiv(a.free, this.rewardPerRep, FEE_SCALE), a.rewardDebt);
  }

  /** Every change of free REP: accrue, change, new debt ceil(free · acc / 1e18), TotalFree. */
  mutate(who, f) {
    const a = { ...this.account(who) };
    a.unclaimedFees += this.accrued(a);
    const old = a.free;
    const result = f(a);
    a.rewardDebt = mulDiv(a.free, this.rewardPerRep, FEE_SCALE, true);
    this.totalFree += a.free - old;
    if (a.free === 0n && a.staked === 0n && a.unclaimedFees === 0n) this.accounts.delete(who);
    else this.accounts.set(who, a);
    return result;
  }

  mintFree(who, amount) {
    if (amount === 0n) return;
    this.totalIssuance += amount;
    this.mutate(who, (a) => {
      a.free += amount;
    });
  }

  /** Genesis: founding members. */
  genesis(members) {
    for (const [who, rep] of members) this.mintFree(who, rep);
  }

  claimable(who) {
    const a = this.account(who);
    return a.unclaimedFees + this.accrued(a);
  }

  /** Shares `amount` (already in the pot) through the accumulator. */
  distributeFees(amount) {
    const total = amount + this.undistributed;
    let distributed = 0n;
    if (this.totalFree > 0n) {
      const delta = mulDiv(total, FEE_SCALE, this.totalFree);
      const d = mulDiv(delta, this.totalFree, FEE_SCALE, true);
      if (d <= total) {
        this.rewardPerRep += delta;
        distributed = d;
      }
    }
    this.undistributed = total - distributed;
    return { distributed, undistributed: this.undistributed };
  }

  addPost(poster, authors, contentHash, citations, now) {
    const id = this.nextPostId++;
    for (const [target] of citations) {
      if (target !== 'incinerator') this.posts.get(target.post).citedBy += 1;
    }
    this.posts.set(id, {
      poster,
      authors: authors.map(([a, w]) => [a, BigInt(w)]),
      contentHash,
      citations: citations.map(([target, w]) => ({
        target,
        weight: BigInt(w < 0 ? -w : w),
        negative: w < 0,
        flowed: 0n,
      })),
      value: 0n,
      createdAt: now,
      citedBy: 0,
      pools: 0,
    });
    return id;
  }

  /** `initiate_pool` with `panel_size` 0. */
  openPool(initiator, post, params, fee, now) {
    assert.ok(fee >= params.minFee && fee >= this.ed, 'model: FeeTooLow');
    const pool = this.nextPoolId++;
    const quorumBase = this.totalIssuance;
    const potBefore = this.pot;
    this.pot += fee;
    const reserve = sub0(this.ed, potBefore);
    const { distributed, undistributed } = this.distributeFees(fee - min(reserve, fee));
    const minted = fixedMulInt(params.mintingRatio, fee);
    const mintedFor = perbillFloor(params.stakeForAuthor, minted);
    const mintedAgainst = minted - mintedFor;
    this.totalIssuance += minted;
    this.totalStaked += minted;
    this.posts.get(post).pools += 1;
    const record = {
      post,
      initiator,
      params: { ...params },
      fee,
      mintedFor,
      mintedAgainst,
      stakeFor: 0n,
      stakeAgainst: 0n,
      quorumBase,
      openedAt: now,
      endsAt: now + params.duration,
      panel: null,
      voters: 0,
      unclaimedStakes: 0,
      remaining: minted,
      bootstrap: pool === 0,
      state: { open: true },
    };
    this.pools.set(pool, record);
    return { pool, distributed, undistributed, minted, ...record };
  }

  /** `stake`: returns the error name the pallet must give, or null after applying it. */
  stake(who, poolId, side, amount, now) {
    const pool = this.pools.get(poolId);
    if (!pool) return 'PoolNotFound';
    if (!(pool.state.open && now < pool.endsAt)) return 'VotingClosed';
    if (amount <= 0n) return 'ZeroStake';
    const key = `${poolId}/${who}`;
    const previous = this.stakes.get(key);
    if (previous && previous.side !== side) return 'StakeOnOtherSide';
    if (side === 'Against' && this.posts.get(pool.post).authors.some(([a]) => a === who)) return 'AuthorStakingAgainst';
    if (amount > this.account(who).free) return 'InsufficientRep';
    this.mutate(who, (a) => {
      a.free -= amount;
      a.staked += amount;
    });
    this.totalStaked += amount;
    if (side === 'For') pool.stakeFor += amount;
    else pool.stakeAgainst += amount;
    pool.remaining += amount;
    if (previous) previous.amount += amount;
    else {
      pool.voters += 1;
      pool.unclaimedStakes += 1;
      this.stakes.set(key, { side, amount });
    }
    return null;
  }

  /** Removes REP from the pools' total (burned, or about to be minted to authors). */
  poolRelease(amount) {
    this.totalIssuance -= amount;
    this.totalStaked -= amount;
  }

  /** `settle`: returns the error name, or the PoolSettled fields and the flow's events. */
  settle(poolId, now) {
    const pool = this.pools.get(poolId);
    if (!pool) return { error: 'PoolNotFound' };
    if (!pool.state.open) return { error: 'AlreadySettled' };
    if (!(now >= pool.endsAt || this.totalFree === 0n)) return { error: 'VotingOpen' };
    const p = pool.params;
    const mFor = pool.mintedFor;
    const mAgainst = pool.mintedAgainst;
    const totalFor = mFor + pool.stakeFor;
    const totalAgainst = mAgainst + pool.stakeAgainst;
    const members = pool.stakeFor + pool.stakeAgainst;
    const quorumNeeded = perbillCeil(p.quorum, pool.quorumBase);
    const quorumMet = pool.quorumBase === 0n || quorumNeeded <= members;
    const winNeeded = perbillCeil(p.winRatio, totalFor + totalAgainst);
    const wins = winNeeded <= totalFor;
    const verdict = pool.bootstrap ? 'Passed' : !quorumMet ? 'NoQuorum' : wins ? 'Passed' : 'Failed';
    let toPost = 0n;
    let burned = 0n;
    let memberWinnings = 0n;
    if (verdict === 'NoQuorum') burned = mFor + mAgainst;
    else if (verdict === 'Passed') {
      const forfeits = mAgainst + perbillFloor(p.binding, pool.stakeAgainst);
      if (p.redistributeLosingStakes && totalFor > 0n) {
        const postShare = mulDiv(forfeits, mFor, totalFor);
        memberWinnings = forfeits - postShare;
        toPost = mFor + postShare;
      } else {
        toPost = mFor;
        burned = forfeits;
      }
    } else {
      const forfeits = mFor + mAgainst + perbillFloor(p.binding, pool.stakeFor);
      if (p.redistributeLosingStakes && pool.stakeAgainst > 0n) memberWinnings = forfeits;
      else burned = forfeits;
    }
    const released = min(toPost + burned, pool.remaining);
    pool.remaining -= released;
    this.poolRelease(released);
    if (pool.unclaimedStakes === 0 && pool.remaining > 0n) {
      burned += pool.remaining;
      this.poolRelease(pool.remaining);
      pool.remaining = 0n;
    }
    pool.state = { open: false, verdict, memberWinnings };
    const flow = {
      depthLimit: Math.min(p.citationDepth, this.maxCitationDepth),
      visits: 0,
      events: [],
    };
    if (toPost > 0n) this.creditPost(pool.post, toPost, 0, flow);
    return {
      error: null,
      verdict,
      quorumNeeded,
      quorumMet,
      winNeeded,
      totalFor,
      totalAgainst,
      toPost,
      burned,
      memberWinnings,
      flowEvents: flow.events,
      visits: flow.visits,
    };
  }

  /** REP reaching `post` at `depth` (positive citations and the Incinerator only). */
  creditPost(postId, amount, depth, flow) {
    const record = this.posts.get(postId);
    if (!record) return;
    flow.visits += 1;
    let kept = amount;
    if (depth < flow.depthLimit) {
      for (const c of record.citations) {
        const share = perbillFloor(c.weight, amount);
        if (share === 0n) continue;
        if (c.negative) throw new Error('model: negative citations (leaching) are not modelled');
        if (c.target === 'incinerator') {
          c.flowed += share;
          kept -= share;
          flow.events.push({ name: 'Incinerated', post: postId, amount: share });
        } else {
          if (flow.visits >= this.maxVisits) continue;
          this.creditPost(c.target.post, share, depth + 1, flow);
          c.flowed += share;
          kept -= share;
        }
      }
    }
    const gained = kept;
    record.value += gained;
    if (gained > 0n) {
      for (const [who, share] of this.authorShares(record.authors, gained)) {
        if (share > 0n) {
          this.mintFree(who, share);
          flow.events.push({ name: 'RepCredited', who, amount: share });
        }
      }
      flow.events.push({ name: 'PostCredited', post: postId, amount: gained });
    }
  }

  /** Shares by weight (floor); the remainder goes to the first author. */
  authorShares(authors, amount) {
    const shares = authors.map(([who, w]) => [who, perbillFloor(w, amount)]);
    const remainder = amount - shares.reduce((s, [, x]) => s + x, 0n);
    shares[0][1] += remainder;
    return shares;
  }

  /** What a member's stake returns from a settled pool. */
  payout(pool, stake) {
    const { verdict, memberWinnings } = pool.state;
    if (verdict === 'NoQuorum') return stake.amount;
    const winner = verdict === 'Passed' ? 'For' : 'Against';
    if (stake.side === winner) {
      const winning = winner === 'For' ? pool.stakeFor : pool.stakeAgainst;
      return stake.amount + mulDiv(stake.amount, memberWinnings, winning);
    }
    return sub0(stake.amount, perbillCeil(pool.params.binding, stake.amount));
  }

  /** `claim`: returns the error name, or { stake, payout, closed: null | dust }. */
  claim(who, poolId) {
    const pool = this.pools.get(poolId);
    if (!pool) return { error: 'PoolNotFound' };
    const key = `${poolId}/${who}`;
    const stake = this.stakes.get(key);
    if (!stake) return { error: 'NoStake' };
    if (pool.state.open) return { error: 'PoolNotSettled' };
    const payout = min(this.payout(pool, stake), pool.remaining);
    this.stakes.delete(key);
    this.mutate(who, (a) => {
      a.staked = sub0(a.staked, stake.amount);
      a.free += payout;
    });
    this.totalStaked -= payout;
    pool.remaining -= payout;
    pool.unclaimedStakes -= 1;
    let closed = null;
    if (pool.unclaimedStakes === 0) {
      closed = pool.remaining;
      this.poolRelease(pool.remaining);
      pool.remaining = 0n;
    }
    return { error: null, stake: stake.amount, payout, closed };
  }

  /** `claim_fees`: returns the error name, or { amount }. */
  claimFees(who) {
    if (this.claimable(who) === 0n) return { error: 'NoFeesToClaim' };
    const amount = this.mutate(who, (a) => {
      const x = a.unclaimedFees;
      a.unclaimedFees = 0n;
      return x;
    });
    this.pot -= amount;
    return { error: null, amount };
  }

  /** The model's ledger entry of `who` in the shape readState gives (without the slot). */
  ledgerEntry(who) {
    const a = this.accounts.get(who);
    return a ? { ...a } : null;
  }
}

/**
 * Asserts that the chain's state (readState) matches the model: totals, accumulator, pot, every
 * ledger entry (the chain must hold no entry the model does not), and the pools, stakes and posts
 * that were read.
 */
export function assertMatchesModel(state, model, what) {
  const eq = (actual, expected, field) => assert.equal(actual, expected, `${what}: ${field}`);
  eq(state.totalIssuance, model.totalIssuance, 'TotalIssuance');
  eq(state.totalFree, model.totalFree, 'TotalFree');
  eq(state.totalStaked, model.totalStaked, 'TotalStaked');
  eq(state.rewardPerRep, model.rewardPerRep, 'RewardPerRep');
  eq(state.undistributedFees, model.undistributed, 'UndistributedFees');
  eq(state.pot, model.pot, 'the pot balance');
  eq(state.nextPostId, model.nextPostId, 'NextPostId');
  eq(state.nextPoolId, model.nextPoolId, 'NextPoolId');
  const chainAccounts = [...state.ledger.keys()].sort();
  const modelAccounts = [...model.accounts.keys()].sort();
  assert.deepEqual(chainAccounts, modelAccounts, `${what}: the accounts in the REP ledger`);
  for (const [who, a] of state.ledger) {
    const m = model.accounts.get(who);
    for (const f of ['free', 'staked', 'rewardDebt', 'unclaimedFees']) eq(a[f], m[f], `Accounts(${who}).${f}`);
    assert.equal(a.slot !== null, a.free > 0n, `${what}: Accounts(${who}) has a sortition slot iff it holds free REP`);
  }
  for (const [id, p] of state.pools) {
    const m = model.pools.get(id);
    if (!m) {
      assert.equal(p, null, `${what}: pool ${id} must not exist`);
      continue;
    }
    assert.ok(p, `${what}: pool ${id} missing on chain`);
    for (const f of [
      'post', 'initiator', 'fee', 'mintedFor', 'mintedAgainst', 'stakeFor', 'stakeAgainst', 'quorumBase',
      'openedAt', 'endsAt', 'panel', 'voters', 'unclaimedStakes', 'remaining', 'bootstrap',
    ]) {
      assert.deepEqual(p[f], m[f], `${what}: pool ${id}.${f}`);
    }
    assert.deepEqual(p.params, m.params, `${what}: pool ${id}.params`);
    assert.deepEqual(p.state, m.state, `${what}: pool ${id}.state`);
  }
  assert.deepEqual(
    state.stakes,
    modelStakes(model, state.read.pools, state.read.accounts),
    `${what}: the stakes of the accounts read in the pools read`,
  );
  for (const [id, p] of state.posts) {
    const m = model.posts.get(id);
    if (!m) {
      assert.equal(p, null, `${what}: post ${id} must not exist`);
      continue;
    }
    assert.ok(p, `${what}: post ${id} missing on chain`);
    for (const f of ['poster', 'authors', 'contentHash', 'value', 'createdAt', 'citedBy', 'pools']) {
      assert.deepEqual(p[f], m[f], `${what}: post ${id}.${f}`);
    }
    assert.deepEqual(
      p.citations,
      m.citations.map((c) => ({ ...c })),
      `${what}: post ${id}.citations`,
    );
  }
}

/** The model's stakes of `accounts` in `pools`, keyed as readState keys them. */
export function modelStakes(model, pools, accounts) {
  const out = new Map();
  for (const id of pools) {
    for (const who of accounts) {
      const s = model.stakes.get(`${id}/${who}`);
      if (s) out.set(`${id}/${who}`, { ...s });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The JSON the reputation_* RPC methods must answer, from the model

/** reputation_rep(who) as the node must print it. */
export function expectedRepJson(model, who) {
  const a = model.account(who);
  return {
    free: a.free.toString(),
    staked: a.staked.toString(),
    bonded: '0', // the model has no availability bonds
    claimableFees: model.claimable(who).toString(),
    totalSupply: model.totalIssuance.toString(),
  };
}

/** reputation_post(id) as the node must print it. */
export function expectedPostJson(model, id) {
  const p = model.posts.get(id);
  if (!p) return null;
  return {
    poster: p.poster,
    authors: p.authors.map(([account, w]) => ({ account, weight: Number(w) })),
    contentHash: p.contentHash,
    citations: p.citations.map((c) => ({
      target: c.target,
      weight: Number(c.negative ? -c.weight : c.weight),
      flowed: c.flowed.toString(),
    })),
    value: p.value.toString(),
    createdAt: p.createdAt,
    citedBy: p.citedBy,
    pools: p.pools,
  };
}

const VERDICT_JSON = { Passed: 'passed', Failed: 'failed', NoQuorum: 'noQuorum' };

/** reputation_pool(id) as the node must print it. */
export function expectedPoolJson(model, id) {
  const p = model.pools.get(id);
  if (!p) return null;
  const settled = !p.state.open;
  return {
    post: p.post,
    initiator: p.initiator,
    params: {
      duration: p.params.duration,
      quorum: Number(p.params.quorum),
      winRatio: Number(p.params.winRatio),
      binding: Number(p.params.binding),
      redistributeLosingStakes: p.params.redistributeLosingStakes,
      mintingRatio: fixedToString(p.params.mintingRatio),
      stakeForAuthor: Number(p.params.stakeForAuthor),
      citationDepth: p.params.citationDepth,
      minFee: p.params.minFee.toString(),
    },
    fee: p.fee.toString(),
    state: settled ? 'settled' : 'open',
    verdict: settled ? VERDICT_JSON[p.state.verdict] : null,
    memberWinnings: settled ? p.state.memberWinnings.toString() : null,
    totalFor: (p.mintedFor + p.stakeFor).toString(),
    totalAgainst: (p.mintedAgainst + p.stakeAgainst).toString(),
    mintedFor: p.mintedFor.toString(),
    mintedAgainst: p.mintedAgainst.toString(),
    stakeFor: p.stakeFor.toString(),
    stakeAgainst: p.stakeAgainst.toString(),
    backer: null, // the model's pools are not backed
    backing: '0',
    quorumBase: p.quorumBase.toString(),
    openedAt: p.openedAt,
    endsAt: p.endsAt,
    panel: p.panel,
    voters: p.voters,
    unclaimedStakes: p.unclaimedStakes,
    remaining: p.remaining.toString(),
    bootstrap: p.bootstrap,
  };
}
