// Reputation layer on a live node (pallets/reputation): the founding REP of the dev chain, a post
// by Alice (two authors, a content hash) and a post by Bob citing it (and the Incinerator), a
// bootstrap pool on Alice's post and a pool on Bob's post, both paid by //Alice//stash with a
// parameter set that Root registers through sudo, REP holders staking for and against in the
// window, settlement by an account without REP once the window is over, claims, and the fees
// shared with REP holders through the accumulator. Failing cases: a stake above the free REP gives
// reputation.InsufficientRep and changes nothing; a settlement inside the window gives
// reputation.VotingOpen.
//
// Every expected number is computed from the rules in the pallet's crate doc, re-implemented in
// lib/reputation.mjs (ReputationModel), and from the chain's constants; the chain's storage, events,
// balances and the reputation_* RPC answers are compared against it after every step, and the
// headline numbers are also derived explicitly in the steps below.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { blake2AsHex } from '@polkadot/util-crypto';

import { freeAt } from './lib/chain.mjs';
import { devAccount, freshAccount, rpcHttp, waitForBlock, withNode } from './lib/node.mjs';
import {
  FEE_SCALE,
  PERBILL,
  ReputationModel,
  assertInvariants,
  assertMatchesModel,
  assertOk,
  chainOrder,
  connectWithReputation,
  eventsNamed,
  expectedPoolJson,
  expectedPostJson,
  expectedRepJson,
  fixedMulInt,
  mulDiv,
  paramsFromCodec,
  perbillCeil,
  perbillFloor,
  potAddress,
  readState,
  submit,
} from './lib/reputation.mjs';

/** The currency's and REP's smallest unit per whole unit (12 decimals). */
const UNIT = 10n ** 12n;
const MILLI = 10n ** 9n;
const MICRO = 10n ** 6n;
/** runtime/src/genesis_config_presets.rs: FOUNDING_REP, given to Alice and Bob on --dev. */
const FOUNDING_REP = 1_000n * UNIT;
/** runtime/src/configs.rs: the post deposit is DepositBase + DepositPerByte · encoded size. */
const DEPOSIT_BASE = 10n * MILLI;
const DEPOSIT_PER_BYTE = 100n * MICRO;
/** runtime/src/configs.rs: ReputationDefaultParams (the `default` set stored at genesis). */
const DEFAULT_PARAMS = {
  duration: 14_400,
  quorum: 100_000_000n,
  winRatio: 500_000_000n,
  binding: 1_000_000_000n,
  redistributeLosingStakes: true,
  mintingRatio: 10n ** 18n,
  stakeForAuthor: 500_000_000n,
  citationDepth: 3,
  minFee: 10n * MILLI,
};

/** The parameter set the test registers: a 10-block window and ratios that exercise rounding. */
const FAST_NAME = 'e2e-fast';
const FAST = {
  duration: 10,
  quorum: 150_000_000n, // 15 %
  winRatio: 660_000_000n, // 66 %
  binding: 600_000_000n, // 60 %: a losing stake keeps 40 %
  redistributeLosingStakes: true,
  mintingRatio: 12_500_000_000_000_000_000n, // 12.5 REP units per fee unit
  stakeForAuthor: 600_000_000n, // 60 % of the mint staked for the post
  citationDepth: 2,
  minFee: 1n * UNIT,
};
const FEE_POOL0 = 2n * UNIT;
const FEE_POOL1 = 8n * UNIT + 123n;
const STAKE_BOB_FOR = 300n * UNIT + 7n;
const STAKE_ALICE_AGAINST = 100n * UNIT + 1n;
const POST0_AUTHORS = (alice, charlie) => [
  [alice, 700_000_000n],
  [charlie, 300_000_000n],
];
const CITE_POST0 = 375_000_000; // +37.5 %
const CITE_INCINERATOR = 50_000_000; // +5 %

test('reputation: posts, citations, a fee-paid pool, stakes, settlement, claims and fee shares', async (t) => {
  const t0 = Date.now();
  const author = await freshAccount();
  const alice = await devAccount('Alice');
  const bob = await devAccount('Bob');
  const charlie = await devAccount('Charlie');
  const payer = await devAccount('Alice//stash'); // pays the pool fees; holds no REP
  const settler = await devAccount('Bob//stash'); // settles ("anyone"); holds no REP
  const [A, B, C, P, S] = [alice, bob, charlie, payer, settler].map((k) => k.address);
  const everyone = [A, B, C, P, S];

  await withNode(t, { author: author.address, connect: false }, async (node, step) => {
    const api = await connectWithReputation(node);
    await waitForBlock(api, 1, 240_000);
    const rpc = (method, params) => rpcHttp(node.rpcPort, method, params);
    const best = async () => (await api.rpc.chain.getHeader()).hash;
    const pot = potAddress(api);
    const ed = api.consts.balances.existentialDeposit.toBigInt();
    const model = new ReputationModel({
      existentialDeposit: ed,
      maxCitationDepth: api.consts.reputation.maxCitationDepth.toNumber(),
      maxPropagationVisits: api.consts.reputation.maxPropagationVisits.toNumber(),
    });
    const allPools = [0, 1];
    const allPosts = [0, 1];
    const read = (hash) => readState(api, hash, { accounts: everyone, pools: allPools, posts: allPosts });
    /** Storage, invariants and the RPC answers at `hash` against the model. */
    const checkAgainstModel = async (hash, what) => {
      const state = await read(hash);
      assertInvariants(state, what);
      assertMatchesModel(state, model, what);
      const h = hash.toHex();
      for (const who of everyone) {
        assert.deepEqual(await rpc('reputation_rep', [who, h]), expectedRepJson(model, who), `${what}: reputation_rep(${who})`);
      }
      for (const id of allPosts) {
        assert.deepEqual(await rpc('reputation_post', [id, h]), expectedPostJson(model, id), `${what}: reputation_post(${id})`);
      }
      for (const id of allPools) {
        assert.deepEqual(await rpc('reputation_pool', [id, h]), expectedPoolJson(model, id), `${what}: reputation_pool(${id})`);
      }
      return state;
    };
    const balanceDelta = async (who, from, to) => (await freeAt(api, who, to)) - (await freeAt(api, who, from));
    const nextNonce = async (who) => (await api.rpc.system.accountNextIndex(who)).toNumber();
    /** The deposit of a stored post: DepositBase + DepositPerByte · |SCALE(authors, hash, citations)|. */
    const postDeposit = async (hash, id) => {
      const p = (await (await api.at(hash)).query.reputation.posts(id)).unwrap();
      const size = BigInt(p.authors.encodedLength + p.contentHash.encodedLength + p.citations.encodedLength);
      return { expected: DEPOSIT_BASE + DEPOSIT_PER_BYTE * size, ticket: BigInt(p.ticket.toString()), size };
    };
    const postHold = async (who, hash) => {
      let held = 0n;
      for (const hold of await (await api.at(hash)).query.balances.holds(who)) {
        const id = hold.id.toJSON();
        if (id && typeof id === 'object' && id.reputation === 'PostDeposit') held += hold.amount.toBigInt();
      }
      return held;
    };
    /** The reputation events of a submission (event objects, in order). */
    const repEvents = (res) =>
      res.events.filter(({ event }) => event.section === 'reputation').map(({ event }) => event);

    const genesis = await api.rpc.chain.getBlockHash(0);
    let pool0;
    let pool1;
    let settle1;

    await step('the runtime has the reputation pallet and the node serves reputation_rep/post/pool', async () => {
      assert.ok(api.tx.reputation, 'no reputation pallet in the metadata');
      const { methods } = await rpc('rpc_methods', []);
      for (const m of ['reputation_rep', 'reputation_post', 'reputation_pool']) {
        assert.ok(methods.includes(m), `rpc_methods does not list ${m}`);
      }
      assert.equal(api.consts.reputation.maxCitationDepth.toNumber(), 3);
      assert.ok(FAST.citationDepth <= api.consts.reputation.maxCitationDepth.toNumber());
      assert.deepEqual(paramsFromCodec(api.consts.reputation.defaultParams), DEFAULT_PARAMS);
      t.diagnostic(`pot ${pot}, ED ${ed}`);
    });

    await step('genesis: Alice and Bob hold the founding REP; supply 2,000 REP; the default parameter set', async () => {
      model.genesis([
        [A, FOUNDING_REP],
        [B, FOUNDING_REP],
      ]);
      const state = await checkAgainstModel(genesis, 'genesis');
      assert.equal(state.totalIssuance, 2n * FOUNDING_REP);
      assert.equal(state.totalStaked, 0n);
      assert.equal(state.ledger.get(A).free, FOUNDING_REP);
      assert.equal(state.ledger.get(B).free, FOUNDING_REP);
      assert.equal(state.pot, 0n, 'the pot is empty at genesis');
      assert.deepEqual(await rpc('reputation_rep', [A, genesis.toHex()]), {
        free: '1000000000000000',
        staked: '0',
        bonded: '0',
        claimableFees: '0',
        totalSupply: '2000000000000000',
      });
      assert.deepEqual(await rpc('reputation_rep', [C]), { free: '0', staked: '0', bonded: '0', claimableFees: '0', totalSupply: '2000000000000000' });
      // The typed RPC definitions decode the same answers.
      const typed = await api.rpc.reputation.rep(B, genesis);
      assert.equal(typed.free.toBigInt(), FOUNDING_REP);
      assert.equal(typed.totalSupply.toBigInt(), 2n * FOUNDING_REP);
      assert.ok((await api.rpc.reputation.post(0)).isNone);
      assert.ok((await api.rpc.reputation.pool(0)).isNone);
      assert.equal(await rpc('reputation_post', [0]), null);
      assert.equal(await rpc('reputation_pool', [0]), null);
      const def = await (await api.at(genesis)).query.reputation.parameterSets('default');
      assert.ok(def.isSome, 'no `default` parameter set at genesis');
      assert.deepEqual(paramsFromCodec(def.unwrap()), DEFAULT_PARAMS);
      // Nothing happened to REP since genesis.
      await checkAgainstModel(await best(), 'best block before any reputation call');
    });

    await step('Root registers a fast parameter set (sudo); Alice posts with two authors (Alice 70 %, Charlie 30 %)', async () => {
      const before = await best();
      const n = await nextNonce(A);
      const content0 = blake2AsHex('gpow e2e: evidence of work by Alice and Charlie');
      const [sudoRes, postRes] = await Promise.all([
        submit(api, api.tx.sudo.sudo(api.tx.reputation.setParameterSet(FAST_NAME, FAST)), alice, { nonce: n }),
        submit(api, api.tx.reputation.addPost(POST0_AUTHORS(A, C), content0, []), alice, { nonce: n + 1 }),
      ]);
      assertOk(sudoRes);
      assertOk(postRes);
      const sudid = eventsNamed(sudoRes.events, 'sudo', 'Sudid');
      assert.equal(sudid.length, 1);
      assert.ok(sudid[0].data[0].isOk, `sudo: the inner call failed: ${sudid[0].data[0].toString()}`);
      const updated = eventsNamed(sudoRes.events, 'reputation', 'ParameterSetUpdated');
      assert.equal(updated.length, 1, 'one reputation.ParameterSetUpdated');
      assert.equal(updated[0].data[0].toUtf8(), FAST_NAME);
      assert.deepEqual(paramsFromCodec(updated[0].data[1]), FAST);
      const stored = await (await api.at(sudoRes.blockHash)).query.reputation.parameterSets(FAST_NAME);
      assert.deepEqual(paramsFromCodec(stored.unwrap()), FAST);

      const added = eventsNamed(postRes.events, 'reputation', 'PostAdded');
      assert.equal(added.length, 1);
      assert.equal(added[0].data[0].toNumber(), 0, 'the first post is post 0');
      assert.equal(added[0].data[1].toString(), A);
      assert.equal(added[0].data[2].toHex(), content0);
      model.addPost(A, POST0_AUTHORS(A, C), content0, [], postRes.number);

      const last = chainOrder([sudoRes, postRes]).at(-1).blockHash;
      const deposit = await postDeposit(last, 0);
      assert.equal(deposit.ticket, deposit.expected, `post 0 deposit (${deposit.size} bytes)`);
      assert.equal(await postHold(A, last), deposit.expected, "Alice's PostDeposit hold");
      assert.equal(
        await balanceDelta(A, before, last),
        -(sudoRes.fee + postRes.fee + deposit.expected),
        'Alice pays the two transaction fees and the post deposit',
      );
      await checkAgainstModel(last, 'after post 0');
    });

    await step("Bob posts citing Alice's post (+37.5 %) and the Incinerator (+5 %); a bootstrap pool opens on Alice's post", async () => {
      const before = await best();
      const content1 = blake2AsHex('gpow e2e: Bob builds on post 0');
      const citations = [
        [{ post: 0 }, CITE_POST0],
        ['incinerator', CITE_INCINERATOR],
      ];
      const toChain = citations.map(([target, w]) => [target === 'incinerator' ? 'Incinerator' : { Post: target.post }, w]);
      const results = await Promise.all([
        submit(api, api.tx.reputation.addPost([[B, PERBILL]], content1, toChain), bob),
        submit(api, api.tx.reputation.initiatePool(0, FAST_NAME, 0, FEE_POOL0), payer),
      ]);
      const [postRes, poolRes] = results.map(assertOk);
      for (const res of chainOrder(results)) {
        if (res === postRes) model.addPost(B, [[B, PERBILL]], content1, citations, res.number);
        else pool0 = model.openPool(P, 0, FAST, FEE_POOL0, res.number);
      }
      const added = eventsNamed(postRes.events, 'reputation', 'PostAdded');
      assert.equal(added[0].data[0].toNumber(), 1, "Bob's post is post 1");

      // Pool 0: the first pool ever, the bootstrap pool.
      assert.equal(pool0.pool, 0);
      assert.equal(pool0.bootstrap, true);
      // The fee into an empty pot: the existential deposit stays there, the rest is shared by the
      // 2,000 free REP: delta = floor((fee - ED) · 1e18 / TotalFree), distributed = ceil(delta · TotalFree / 1e18).
      const delta0 = ((FEE_POOL0 - ed) * FEE_SCALE) / (2n * FOUNDING_REP);
      const distributed0 = mulDiv(delta0, 2n * FOUNDING_REP, FEE_SCALE, true);
      assert.equal(pool0.distributed, distributed0);
      assert.equal(pool0.undistributed, FEE_POOL0 - ed - distributed0);
      const minted0 = fixedMulInt(FAST.mintingRatio, FEE_POOL0);
      assert.equal(minted0, 25n * UNIT, '2 GPOW · 12.5 = 25 REP');
      assert.equal(pool0.mintedFor, perbillFloor(FAST.stakeForAuthor, minted0));
      assert.equal(pool0.mintedFor + pool0.mintedAgainst, minted0);
      const [fd] = eventsNamed(poolRes.events, 'reputation', 'FeesDistributed');
      assert.deepEqual(fd.data.map((x) => x.toString()), ['0', String(distributed0), String(pool0.undistributed)]);
      const [pi] = eventsNamed(poolRes.events, 'reputation', 'PoolInitiated');
      assert.deepEqual(pi.data.map((x) => x.toString()), [
        '0', '0', P, String(FEE_POOL0), String(pool0.mintedFor), String(pool0.mintedAgainst), String(pool0.endsAt), 'true',
      ]);
      assert.equal(pool0.endsAt, poolRes.number + FAST.duration);

      const last = chainOrder(results).at(-1).blockHash;
      const deposit = await postDeposit(last, 1);
      assert.equal(deposit.ticket, deposit.expected, `post 1 deposit (${deposit.size} bytes)`);
      assert.equal(await balanceDelta(B, before, last), -(postRes.fee + deposit.expected), 'Bob pays the fee and the deposit');
      assert.equal(await balanceDelta(P, before, last), -(FEE_POOL0 + poolRes.fee), 'the payer pays the pool fee and the transaction fee');
      assert.equal(await freeAt(api, pot, last), FEE_POOL0, 'the pool fee is in the pot');
      await checkAgainstModel(last, 'after post 1 and pool 0');
    });

    await step("a pool on Bob's post: the fee leaves the payer, fee × 12.5 REP are minted 60/40 for/against", async () => {
      const before = await best();
      const supplyBefore = model.totalIssuance;
      const res = assertOk(await submit(api, api.tx.reputation.initiatePool(1, FAST_NAME, 0, FEE_POOL1), payer));
      pool1 = model.openPool(P, 1, FAST, FEE_POOL1, res.number);
      const minted1 = fixedMulInt(FAST.mintingRatio, FEE_POOL1);
      assert.equal(minted1, 100n * UNIT + 1537n, 'floor((8 GPOW + 123) · 12.5)');
      assert.equal(pool1.mintedFor, (minted1 * 6n) / 10n, 'floor(60 % of the mint) for');
      assert.equal(pool1.mintedAgainst, minted1 - pool1.mintedFor, 'the rest against');
      assert.equal(pool1.quorumBase, supplyBefore, "the quorum base is the supply before the pool's mint");
      assert.equal(supplyBefore, 2n * FOUNDING_REP + 25n * UNIT, 'the supply then includes pool 0 mint');
      assert.equal(pool1.bootstrap, false);
      assert.equal(pool1.endsAt, res.number + FAST.duration);
      // The pot already holds more than the existential deposit: the whole fee is shared.
      const delta1 = (FEE_POOL1 * FEE_SCALE) / (2n * FOUNDING_REP);
      assert.equal(pool1.distributed, mulDiv(delta1, 2n * FOUNDING_REP, FEE_SCALE, true));
      const [fd] = eventsNamed(res.events, 'reputation', 'FeesDistributed');
      assert.deepEqual(fd.data.map((x) => x.toString()), ['1', String(pool1.distributed), String(pool1.undistributed)]);
      const [pi] = eventsNamed(res.events, 'reputation', 'PoolInitiated');
      assert.deepEqual(pi.data.map((x) => x.toString()), [
        '1', '1', P, String(FEE_POOL1), String(pool1.mintedFor), String(pool1.mintedAgainst), String(pool1.endsAt), 'false',
      ]);
      assert.equal(await balanceDelta(P, before, res.blockHash), -(FEE_POOL1 + res.fee), 'the fee (and the tx fee) left the payer');
      assert.equal(await balanceDelta(pot, before, res.blockHash), FEE_POOL1, 'the fee went to the pot');
      // The typed RPC decodes the pool too.
      const typed = (await api.rpc.reputation.pool(1, res.blockHash)).unwrap();
      assert.equal(typed.mintedFor.toBigInt(), pool1.mintedFor);
      assert.equal(typed.params.mintingRatio.toString(), '12.500000000000000000');
      assert.equal(typed.state.toString(), 'open');
      assert.ok(typed.verdict.isNone);
      await checkAgainstModel(res.blockHash, 'after pool 1 opened');
      t.diagnostic(`pool 1 opened in #${res.number}, window until #${pool1.endsAt}`);
    });

    await step('in the window: Bob stakes for his post, Alice stakes against it', async () => {
      const results = await Promise.all([
        submit(api, api.tx.reputation.stake(1, 'For', STAKE_BOB_FOR), bob),
        submit(api, api.tx.reputation.stake(1, 'Against', STAKE_ALICE_AGAINST), alice),
      ]);
      results.forEach(assertOk);
      for (const res of chainOrder(results)) {
        assert.ok(res.number < pool1.endsAt, `stake in #${res.number}, window ends at #${pool1.endsAt}`);
        const [who, side, amount] = res === results[0] ? [B, 'For', STAKE_BOB_FOR] : [A, 'Against', STAKE_ALICE_AGAINST];
        assert.equal(model.stake(who, 1, side, amount, res.number), null);
        const [staked] = eventsNamed(res.events, 'reputation', 'Staked');
        assert.deepEqual(staked.data.map((x) => x.toString()), ['1', who, side, String(amount)]);
      }
      const last = chainOrder(results).at(-1).blockHash;
      const state = await checkAgainstModel(last, 'after the stakes');
      assert.equal(state.ledger.get(A).free, FOUNDING_REP - STAKE_ALICE_AGAINST);
      assert.equal(state.ledger.get(A).staked, STAKE_ALICE_AGAINST);
      assert.equal(state.ledger.get(B).staked, STAKE_BOB_FOR);
      // The fees both earned on their 1,000 free REP were moved into their unclaimed fees.
      const share = (FOUNDING_REP * model.rewardPerRep) / FEE_SCALE;
      assert.equal(state.ledger.get(A).unclaimedFees, share);
      assert.equal(state.ledger.get(B).unclaimedFees, share);
    });

    await step('staking more REP than free fails with reputation.InsufficientRep and changes nothing; an early settle fails with reputation.VotingOpen', async () => {
      const head = (await api.rpc.chain.getHeader()).number.toNumber();
      assert.ok(
        head + 3 < pool1.endsAt,
        `the window (until #${pool1.endsAt}) is nearly over at #${head}: too slow a machine for a ${FAST.duration}-block window`,
      );
      const free = model.account(A).free;
      const tooMuch = free + 1n;
      const sends = [submit(api, api.tx.reputation.stake(1, 'Against', tooMuch), alice)];
      const trySettle = head + 4 < pool1.endsAt;
      if (trySettle) sends.push(submit(api, api.tx.reputation.settle(1), settler));
      const [fail, early] = await Promise.all(sends);
      assert.ok(fail.number < pool1.endsAt, 'the failing stake was inside the window');
      assert.equal(model.stake(A, 1, 'Against', tooMuch, fail.number), 'InsufficientRep', 'the rules say InsufficientRep');
      assert.equal(fail.error, 'reputation.InsufficientRep', `stake of ${tooMuch} with ${free} free`);
      assert.equal(repEvents(fail).length, 0, 'no reputation event for the failed stake');
      const parent = (await api.rpc.chain.getHeader(fail.blockHash)).parentHash;
      const [stateBefore, stateAfter] = await Promise.all([read(parent), read(fail.blockHash)]);
      assert.deepEqual(stateAfter, stateBefore, 'the failed stake changed the reputation state');
      assert.equal(await balanceDelta(A, parent, fail.blockHash), -fail.fee, 'Alice only paid the transaction fee');
      if (trySettle) {
        assert.ok(early.number < pool1.endsAt, 'the early settle was inside the window');
        assert.equal(model.settle(1, early.number).error, 'VotingOpen');
        assert.equal(early.error, 'reputation.VotingOpen');
      } else {
        t.diagnostic('window too advanced to try an early settle safely; skipped');
      }
      await checkAgainstModel(fail.blockHash, 'after the failed stake');
    });

    await step('after the window anyone settles: pool 0 passes as the bootstrap pool, pool 1 by quorum and win ratio', async () => {
      await waitForBlock(api, pool1.endsAt - 1, 240_000);
      const supplyBefore = model.totalIssuance;
      const n = await nextNonce(S);
      const results = await Promise.all([
        submit(api, api.tx.reputation.settle(0), settler, { nonce: n }),
        submit(api, api.tx.reputation.settle(1), settler, { nonce: n + 1 }),
      ]);
      results.forEach(assertOk);
      const expected = {};
      for (const res of chainOrder(results)) {
        const id = res === results[0] ? 0 : 1;
        assert.ok(res.number >= model.pools.get(id).endsAt, `settle(${id}) in #${res.number}, window ends at #${model.pools.get(id).endsAt}`);
        const e = model.settle(id, res.number);
        assert.equal(e.error, null);
        expected[id] = e;
        // The flow events (credits down the citations, incineration), then PoolSettled.
        const got = repEvents(res).map((ev) => [ev.method, ...ev.data.map((x) => x.toString())]);
        const want = [
          ...e.flowEvents.map((f) =>
            f.name === 'RepCredited' ? [f.name, f.who, String(f.amount)] : [f.name, String(f.post), String(f.amount)],
          ),
          ['PoolSettled', String(id), e.verdict, String(e.totalFor), String(e.totalAgainst), String(e.toPost), String(e.burned), String(e.memberWinnings)],
        ];
        assert.deepEqual(got, want, `settle(${id}): reputation events`);
      }
      settle1 = expected[1];

      // Pool 0: no member staked, so no quorum, but the bootstrap pool always passes; with
      // redistribution the whole mint (the forfeited minted-against half included) goes to post 0.
      const e0 = expected[0];
      assert.equal(e0.quorumMet, false);
      assert.equal(e0.verdict, 'Passed');
      assert.equal(e0.toPost, 25n * UNIT);
      assert.equal(e0.memberWinnings, 0n);

      // Pool 1: quorum = ceil(15 % of the supply before its mint) <= member stakes; the win ratio
      // ceil(66 % of all) <= all for (minted halves included).
      const sF = STAKE_BOB_FOR;
      const sA = STAKE_ALICE_AGAINST;
      const mF = pool1.mintedFor;
      const mA = pool1.mintedAgainst;
      assert.ok(perbillCeil(FAST.quorum, pool1.quorumBase) <= sF + sA, 'quorum met');
      assert.ok(perbillCeil(FAST.winRatio, mF + sF + mA + sA) <= mF + sF, 'win ratio reached');
      assert.equal(settle1.verdict, 'Passed');
      const forfeits = mA + perbillFloor(FAST.binding, sA);
      const postShare = (forfeits * mF) / (mF + sF);
      assert.equal(settle1.toPost, mF + postShare, 'to the post: M_f + its pro-rata share of the forfeits');
      assert.equal(settle1.memberWinnings, forfeits - postShare, "members' share of the forfeits");
      assert.equal(settle1.burned, 0n);

      // The REP flow: post 1 passes 37.5 % to post 0 and burns 5 % (Incinerator); post 0
      // (depth 1 < citation depth 2, no citations) keeps what reaches it.
      const toPost0 = (settle1.toPost * 375n) / 1000n;
      const toFire = (settle1.toPost * 5n) / 100n;
      const kept1 = settle1.toPost - toPost0 - toFire;
      const h = chainOrder(results).at(-1).blockHash;
      const post0 = await rpc('reputation_post', [0, h.toHex()]);
      const post1 = await rpc('reputation_post', [1, h.toHex()]);
      assert.equal(post1.value, String(kept1), "post 1's value");
      assert.deepEqual(post1.citations.map((c) => c.flowed), [String(toPost0), String(toFire)], "post 1's citations' flows");
      assert.equal(post0.value, String(e0.toPost + toPost0), "post 0's value: pool 0 plus the citation flow");
      assert.equal(post0.citedBy, 1);
      assert.equal(post1.pools, 1);
      // Authors by weight, the rounding remainder to the first author.
      const charlieRep = perbillFloor(300_000_000n, e0.toPost) + perbillFloor(300_000_000n, toPost0);
      const aliceFromPosts = e0.toPost + toPost0 - charlieRep;
      const remainder = toPost0 - perbillFloor(700_000_000n, toPost0) - perbillFloor(300_000_000n, toPost0);
      assert.equal(remainder, 1n, 'this flow leaves a rounding remainder (for the first author, Alice)');
      assert.equal(aliceFromPosts, perbillFloor(700_000_000n, e0.toPost) + perbillFloor(700_000_000n, toPost0) + remainder);
      assert.equal(model.account(C).free, charlieRep);
      const rep = (who) => rpc('reputation_rep', [who, h.toHex()]);
      assert.equal((await rep(C)).free, String(charlieRep), "Charlie's REP from post 0");
      assert.equal((await rep(A)).free, String(FOUNDING_REP - sA + aliceFromPosts), "Alice's free REP");
      assert.equal((await rep(B)).free, String(FOUNDING_REP - sF + kept1), "Bob's free REP");
      // Supply: minted 25 + fee·12.5, minus what the Incinerator burned; stakes still in the pool.
      const supply = 2n * FOUNDING_REP + 25n * UNIT + fixedMulInt(FAST.mintingRatio, FEE_POOL1) - toFire;
      assert.equal(model.totalIssuance, supply);
      assert.equal(supplyBefore - model.totalIssuance, toFire, 'settling only burned the incinerated REP');
      await checkAgainstModel(h, 'after the settlements');
    });

    await step('claims: Bob (for) gets his stake plus the winnings, Alice (against) keeps 40 %; the pool closes', async () => {
      const results = await Promise.all([
        submit(api, api.tx.reputation.claim(1), bob),
        submit(api, api.tx.reputation.claim(1), alice),
      ]);
      results.forEach(assertOk);
      let dust = null;
      for (const res of chainOrder(results)) {
        const who = res === results[0] ? B : A;
        const e = model.claim(who, 1);
        assert.equal(e.error, null);
        const want = [['Claimed', '1', who, String(e.stake), String(e.payout)]];
        if (e.closed !== null) {
          want.push(['PoolClosed', '1', String(e.closed)]);
          dust = e.closed;
        }
        const got = repEvents(res).map((ev) => [ev.method, ...ev.data.map((x) => x.toString())]);
        assert.deepEqual(got, want, `claim by ${who}: reputation events`);
        if (who === B) assert.equal(e.payout, STAKE_BOB_FOR + settle1.memberWinnings, 'the only winner gets all the winnings');
        else assert.equal(e.payout, STAKE_ALICE_AGAINST - perbillCeil(FAST.binding, STAKE_ALICE_AGAINST), 'a loser keeps the stake minus ceil(binding · stake)');
      }
      // What rounding left in the pool: ceil(60 % · S_a) - floor(60 % · S_a) = 1, burned on close.
      assert.equal(dust, perbillCeil(FAST.binding, STAKE_ALICE_AGAINST) - perbillFloor(FAST.binding, STAKE_ALICE_AGAINST));
      assert.equal(dust, 1n);
      const h = chainOrder(results).at(-1).blockHash;
      const state = await checkAgainstModel(h, 'after the claims');
      assert.equal(state.totalStaked, 0n, 'no REP left in pools');
      assert.equal(state.pools.get(1).remaining, 0n);
      let sum = 0n;
      for (const a of state.ledger.values()) sum += a.free + a.staked;
      assert.equal(sum, state.totalIssuance, 'supply = sum of free + staked');
      const toFire = (settle1.toPost * 5n) / 100n;
      assert.equal(
        state.totalIssuance,
        2n * FOUNDING_REP + 25n * UNIT + fixedMulInt(FAST.mintingRatio, FEE_POOL1) - toFire - dust,
        'supply = founding + minted - incinerated - dust',
      );
      assert.deepEqual(
        [...state.ledger.keys()].sort(),
        [A, B, C].sort(),
        'REP holders: Alice, Bob and Charlie (a co-author of post 0)',
      );
    });

    await step('fee shares: Alice and Bob claim what the accumulator gave their 1,000 REP each; the pot keeps ED + dust', async () => {
      const head = await best();
      const acc = model.rewardPerRep;
      const delta0 = ((FEE_POOL0 - ed) * FEE_SCALE) / (2n * FOUNDING_REP);
      const delta1 = (FEE_POOL1 * FEE_SCALE) / (2n * FOUNDING_REP);
      assert.equal(acc, delta0 + delta1);
      const share = (FOUNDING_REP * acc) / FEE_SCALE;
      for (const who of [A, B]) {
        assert.equal((await rpc('reputation_rep', [who])).claimableFees, String(share), `claimable fees of ${who}`);
      }
      assert.equal((await rpc('reputation_rep', [C])).claimableFees, '0', 'Charlie got REP after the fees');
      assert.equal((await rpc('reputation_rep', [P])).claimableFees, '0', 'the payer holds no REP');
      const potBefore = await freeAt(api, pot, head);
      const results = await Promise.all([
        submit(api, api.tx.reputation.claimFees(), alice),
        submit(api, api.tx.reputation.claimFees(), bob),
      ]);
      results.forEach(assertOk);
      for (const res of chainOrder(results)) {
        const who = res === results[0] ? A : B;
        const e = model.claimFees(who);
        assert.equal(e.amount, share);
        const got = repEvents(res).map((ev) => [ev.method, ...ev.data.map((x) => x.toString())]);
        assert.deepEqual(got, [['FeesClaimed', who, String(share)]]);
        assert.equal(await balanceDelta(who, head, res.blockHash), share - res.fee, `${who} received the fee share minus the tx fee`);
      }
      const h = chainOrder(results).at(-1).blockHash;
      const potAfter = await freeAt(api, pot, h);
      assert.equal(potBefore - potAfter, 2n * share);
      assert.equal(potAfter, FEE_POOL0 + FEE_POOL1 - 2n * share);
      assert.ok(potAfter >= ed, 'the pot keeps at least the existential deposit');
      t.diagnostic(`pot keeps ${potAfter} (ED ${ed}, dust ${potAfter - ed})`);
      await checkAgainstModel(h, 'after the fee claims');
      for (const who of [A, B]) assert.equal((await rpc('reputation_rep', [who, h.toHex()])).claimableFees, '0');
    });

    t.diagnostic(`scenario done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });
});
