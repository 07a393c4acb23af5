// Service market on a live node (pallets/services, backed by pallets/reputation): Root registers
// two parameter sets and a service type through sudo; a bootstrap pool gives Charlie, Dave, Eve
// and Ferdie REP; Charlie, Dave and Eve offer the type (different rates and capacities, bonding
// REP); services_quote answers (and names the reason when no provider fits); //Bob//stash requests
// three instances, one from each provider. Instance 0: Charlie submits, its panel stakes for, the
// pool passes: Charlie is paid F minus the author's share, the service author gets the share, the
// escrow is released, Charlie paid the evaluation fee and the pool's REP goes to his evidence post.
// Instance 1: Dave submits, the panel stakes against, the pool fails: the consumer gets F back and
// Dave's backing is forfeited to the panel (binding 100 %). Instance 2: Eve does nothing; a cancel
// before the deadline fails with services.DeadlineNotReached, Eve's decline after the first half
// of its time with services.DeclineWindowClosed, and after the deadline the consumer cancels: F is
// refunded and Eve's backing burned. Bad input: requests no offer has capacity for, or of volume
// zero, fail with services.NoProviderWithCapacity and services.ZeroVolume.
//
// Every expected number is derived below from the documented rules (the crate docs of
// pallet-services and pallet-reputation) and the runtime's constants, and compared with events,
// balances, holds, storage and the services_* / reputation_* RPC answers.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { stringToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';

import { freeAt } from './lib/chain.mjs';
import { devAccount, freshAccount, rpcHttp, rpcRaw, waitForBlock, withNode } from './lib/node.mjs';
import { assertOk, chainOrder, eventsNamed, fixedMulInt, mulDiv, perbillCeil, perbillFloor, potAddress } from './lib/reputation.mjs';
import {
  INSTANCE_MAX_ENCODED_LEN,
  OFFER_MAX_ENCODED_LEN,
  connectWithServices,
  deposit,
  heldAt,
  holdsAt,
  sendAll,
} from './lib/services.mjs';

const UNIT = 10n ** 12n;
const PCT = 10_000_000n; // one percent in parts per billion

/** The bootstrap pool's parameters: a 1-block window and 100 REP units minted per fee unit. */
const BOOT_NAME = 'e2e-boot';
const BOOT = {
  duration: 1,
  quorum: 0n,
  winRatio: 50n * PCT,
  binding: 100n * PCT,
  redistributeLosingStakes: true,
  mintingRatio: 100n * 10n ** 18n,
  stakeForAuthor: 50n * PCT,
  citationDepth: 0,
  minFee: UNIT,
};
const BOOT_FEE = 40n * UNIT; // mints 4,000 REP, all of which reaches the four authors

/** The evaluation pools' parameters: they settle early once the whole panel has staked. */
const SVC_NAME = 'e2e-services';
const SVC = {
  duration: 30,
  quorum: 10n * PCT,
  winRatio: 50n * PCT,
  binding: 100n * PCT,
  redistributeLosingStakes: true,
  mintingRatio: 10n ** 18n, // 1 REP unit per fee unit
  stakeForAuthor: 50n * PCT,
  citationDepth: 0,
  minFee: UNIT / 10n,
};

const DEADLINE = 6;
const AUTHOR_SHARE = 10n * PCT;
const VALIDATORS_SHARE = 10n * PCT;
const MIN_STAKE = 100n * UNIT;
const PANEL_SIZE = 2;
const FUND = 1_000n * UNIT; // GPOW for the REP holders without an endowment
const MEMBER_STAKE = 150n * UNIT; // what each panel member stakes

/** The offers: capacity (units), rate (per unit), availability stake (REP). */
const OFFERS = {
  Charlie: { capacity: 100, rate: UNIT, stake: 500n * UNIT, endpoint: 'wss://charlie.example/compute' },
  Dave: { capacity: 50, rate: (12n * UNIT) / 10n, stake: 500n * UNIT, endpoint: 'wss://dave.example/compute' },
  Eve: { capacity: 30, rate: (15n * UNIT) / 10n, stake: 300n * UNIT, endpoint: 'wss://eve.example/compute' },
};
const VOLUME = 10;
const MAX_RATE = 2n * UNIT;

test('services: offers, quotes, negotiated instances, evaluation by panel pools, payment, refund and slash', async (t) => {
  const t0 = Date.now();
  const miner = await freshAccount();
  const serviceAuthor = await freshAccount(); // paid the author's share; a new account
  const names = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];
  const keys = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await devAccount(n)])));
  const consumer = await devAccount('Bob//stash'); // endowed, holds no REP: never on a panel
  const byAddress = new Map(Object.values(keys).map((k) => [k.address, k]));
  const nameOf = new Map(names.map((n) => [keys[n].address, n]));
  const [A, B, C, D, E, F] = names.map((n) => keys[n].address);
  const P = { Charlie: C, Dave: D, Eve: E };
  const X = consumer.address;
  const W = serviceAuthor.address;

  await withNode(t, { author: miner.address, connect: false }, async (node, step) => {
    const api = await connectWithServices(node);
    await waitForBlock(api, 1, 240_000);
    const rpc = (method, params) => rpcHttp(node.rpcPort, method, params);
    const best = async () => (await api.rpc.chain.getHeader()).hash;
    const pot = potAddress(api);
    const rep = async (who, hash) => rpc('reputation_rep', [who, hash.toHex()]);
    const supplyAt = async (hash) => BigInt((await rep(A, hash)).totalSupply);
    const delta = async (who, from, to) => (await freeAt(api, who, to)) - (await freeAt(api, who, from));
    /** Transaction fees paid by `who` among `results`. */
    const feesOf = (who, results) => results.filter((r) => r.signer === who).reduce((s, r) => s + r.fee, 0n);
    const last = (results) => chainOrder(results).at(-1).blockHash;
    const offerDeposit = deposit(OFFER_MAX_ENCODED_LEN);
    const instanceDeposit = deposit(INSTANCE_MAX_ENCODED_LEN);

    /** What each instance is: its provider, fee and backing, filled in by the steps. */
    const inst = [];
    /** Each provider's offer as services_offers must print it, kept up to date by the steps. */
    const offers = {};
    const expectedOffers = () =>
      Object.values(offers)
        .sort((a, b) => a.id - b.id)
        .map((o) => ({
          provider: o.provider,
          id: o.id,
          capacity: o.capacity,
          used: o.used,
          rate: o.rate.toString(),
          endpoint: stringToHex(o.endpoint),
          stake: o.stake.toString(),
          committed: o.committed.toString(),
          active: o.active,
        }));
    const checkOffers = async (hash, what) => {
      const got = await rpc('services_offers', [0, hash.toHex()]);
      assert.deepEqual([...got].sort((a, b) => a.id - b.id), expectedOffers(), `${what}: services_offers(0)`);
    };
    const expectedInstance = (i, status, evaluating = null) => ({
      serviceType: 0,
      consumer: X,
      provider: inst[i].provider,
      definition: inst[i].definition,
      payload: stringToHex(inst[i].payload),
      volume: VOLUME,
      rate: inst[i].rate.toString(),
      fee: inst[i].fee.toString(),
      backing: inst[i].backing.toString(),
      requestedAt: inst[i].requestedAt,
      deadline: inst[i].deadline,
      status,
      pool: evaluating ? evaluating.pool : null,
      post: evaluating ? evaluating.post : null,
      result: evaluating ? evaluating.result : null,
    });
    const checkInstance = async (hash, i, status, evaluating) => {
      assert.deepEqual(
        await rpc('services_instance', [i, hash.toHex()]),
        expectedInstance(i, status, evaluating),
        `services_instance(${i}) ${status}`,
      );
    };
    let supply; // the REP supply after the last step
    let consumerStart; // the block before the consumer's first request
    let consumerFees = 0n; // transaction fees the consumer paid since

    await step('the runtime has the services pallet (index 10) and the node serves services_quote/offers/instance', async () => {
      const pallet = api.runtimeMetadata.asLatest.pallets.find((p) => p.name.toString() === 'Services');
      assert.ok(pallet, 'no Services pallet in the metadata');
      assert.equal(pallet.index.toNumber(), 10);
      const { methods } = await rpc('rpc_methods', []);
      for (const m of ['services_quote', 'services_offers', 'services_instance']) {
        assert.ok(methods.includes(m), `rpc_methods does not list ${m}`);
      }
      assert.equal(api.consts.services.maxNameLen.toNumber(), 64);
      assert.equal(api.consts.services.maxEndpointLen.toNumber(), 128);
      assert.equal(api.consts.services.maxPayloadLen.toNumber(), 256);
      assert.equal(api.consts.services.maxPanelSize.toNumber(), 16);
      assert.equal(await rpc('services_instance', [0]), null);
      assert.deepEqual(await rpc('services_offers', [0]), []);
      const unknown = await rpcRaw(node.rpcPort, 'services_quote', [0, VOLUME, MAX_RATE.toString()]);
      assert.equal(unknown.error?.code, 2, JSON.stringify(unknown));
      assert.equal(unknown.error.data, 'unknownServiceType');
      assert.equal((await api.query.reputation.nextPoolId()).toNumber(), 0, 'no pool yet: pool 0 will be the bootstrap pool');
    });

    await step('Root registers the parameter sets and the service type; a bootstrap pool gives Charlie, Dave, Eve and Ferdie 1,000 REP each', async () => {
      const alice = keys.Alice;
      const terms = {
        panelSize: PANEL_SIZE,
        paramSet: SVC_NAME,
        deadline: DEADLINE,
        author: W,
        authorShare: AUTHOR_SHARE,
        validatorsShare: VALIDATORS_SHARE,
        minStake: MIN_STAKE,
      };
      const quarter = 250_000_000n;
      const setup = await sendAll(api, [
        { tx: api.tx.sudo.sudo(api.tx.reputation.setParameterSet(BOOT_NAME, BOOT)), signer: alice },
        { tx: api.tx.sudo.sudo(api.tx.reputation.setParameterSet(SVC_NAME, SVC)), signer: alice },
        {
          tx: api.tx.sudo.sudo(api.tx.services.registerType('e2e-compute', blake2AsHex('e2e schema'), 'job', terms)),
          signer: alice,
        },
        {
          tx: api.tx.reputation.addPost([[C, quarter], [D, quarter], [E, quarter], [F, quarter]], blake2AsHex('e2e founders'), []),
          signer: alice,
        },
        { tx: api.tx.reputation.initiatePool(0, BOOT_NAME, 0, BOOT_FEE), signer: alice },
        ...[C, D, E, F].map((to) => ({ tx: api.tx.balances.transferKeepAlive(to, FUND), signer: alice })),
      ]);
      setup.forEach(assertOk);
      for (const res of setup.slice(0, 3)) {
        const [sudid] = eventsNamed(res.events, 'sudo', 'Sudid');
        assert.ok(sudid.data[0].isOk, `sudo: the inner call failed: ${sudid.data[0].toString()}`);
      }
      const [registered] = eventsNamed(setup[2].events, 'services', 'TypeRegistered');
      assert.equal(registered.data[0].toNumber(), 0, 'the first service type is type 0');
      const stored = (await (await api.at(setup[2].blockHash)).query.services.serviceTypes(0)).unwrap();
      assert.equal(stored.terms.author.toString(), W);
      assert.equal(stored.terms.panelSize.toNumber(), PANEL_SIZE);
      const [initiated] = eventsNamed(setup[4].events, 'reputation', 'PoolInitiated');
      assert.equal(initiated.data[0].toNumber(), 0);
      assert.ok(initiated.data[7].isTrue, 'pool 0 is the bootstrap pool');

      // The window is one block: the pool can be settled in any later block.
      const settle = assertOk((await sendAll(api, [{ tx: api.tx.reputation.settle(0), signer: keys.Bob }]))[0]);
      const [settled] = eventsNamed(settle.events, 'reputation', 'PoolSettled');
      const minted = fixedMulInt(BOOT.mintingRatio, BOOT_FEE);
      assert.equal(minted, 4_000n * UNIT);
      // Bootstrap: passed; the minted half against is forfeited to the only stake for (the post's).
      assert.equal(settled.data[1].type, 'Passed');
      assert.equal(settled.data[4].toBigInt(), minted, 'all the minted REP goes to the post');
      for (const who of [C, D, E, F]) {
        const r = await rep(who, settle.blockHash);
        assert.equal(r.free, (1_000n * UNIT).toString(), `${who}: a quarter of the mint`);
      }
      supply = await supplyAt(settle.blockHash);
      assert.equal(supply, 2_000n * UNIT + minted, 'founding REP of Alice and Bob plus the bootstrap mint');
    });

    await step('Charlie, Dave and Eve offer: REP bonded, offer deposits held; services_offers lists them', async () => {
      const before = await best();
      const names3 = ['Charlie', 'Dave', 'Eve'];
      const results = await sendAll(
        api,
        names3.map((n) => {
          const o = OFFERS[n];
          return { tx: api.tx.services.offer(0, o.capacity, o.rate, o.endpoint, o.stake), signer: keys[n] };
        }),
      );
      results.forEach(assertOk);
      for (const [i, n] of names3.entries()) {
        const [offered] = eventsNamed(results[i].events, 'services', 'Offered');
        const o = OFFERS[n];
        assert.deepEqual(
          offered.data.map((x) => x.toString()),
          ['0', P[n], offered.data[2].toString(), String(o.capacity), o.rate.toString(), o.stake.toString()],
        );
        offers[n] = { provider: P[n], id: offered.data[2].toNumber(), ...o, used: 0, committed: 0n, active: 0 };
      }
      // Offer ids follow execution order.
      const ids = chainOrder(results).map((r) => offers[names3[results.indexOf(r)]].id);
      assert.deepEqual(ids, [0, 1, 2]);
      const at = last(results);
      for (const [i, n] of names3.entries()) {
        const r = await rep(P[n], at);
        assert.equal(r.bonded, OFFERS[n].stake.toString(), `${n}: the stake is bonded`);
        assert.equal(r.free, (1_000n * UNIT - OFFERS[n].stake).toString(), `${n}: free REP`);
        assert.equal(await heldAt(api, P[n], at, 'services.OfferDeposit'), offerDeposit, `${n}: offer deposit`);
        assert.equal(await delta(P[n], before, at), -(results[i].fee + offerDeposit), `${n} pays the fee and the deposit`);
      }
      assert.equal(await supplyAt(at), supply, 'bonding moves REP, it does not mint');
      await checkOffers(at, 'after the offers');
    });

    await step('services_quote: the provider, rate and fee, or the reason no provider fits (capacity, rate, volume)', async () => {
      const at = (await best()).toHex();
      const quote = (volume, maxRate, extra = []) => rpcRaw(node.rpcPort, 'services_quote', [0, volume, maxRate, ...extra]);
      // Only Charlie's rate (1) is within 1.1.
      assert.deepEqual((await quote(VOLUME, '1100000000000', [null, at])).result, {
        provider: C,
        rate: UNIT.toString(),
        fee: (10n * UNIT).toString(),
        withinRate: 1,
      });
      // Charlie and Dave are within 1.3, but only Charlie has 60 units free.
      assert.deepEqual((await quote(60, 1_300_000_000_000, [blake2AsHex('any'), at])).result, {
        provider: C,
        rate: UNIT.toString(),
        fee: (60n * UNIT).toString(),
        withinRate: 2,
      });
      // 40 units fit both; the pick is theirs to make, the fee follows the rate.
      const both = (await quote(40, '0x00000000000000000000012433d44600', [null, at])).result; // 1.255 GPOW as hex
      assert.ok([C, D].includes(both.provider), `quote(40) picks Charlie or Dave, not ${both.provider}`);
      assert.equal(both.withinRate, 2);
      assert.equal(BigInt(both.fee), BigInt(both.rate) * 40n);
      assert.equal((await quote(VOLUME, MAX_RATE.toString())).result.withinRate, 3);
      // No fit: the error names the reason.
      const capacity = await quote(200, MAX_RATE.toString());
      assert.equal(capacity.error?.code, 2, JSON.stringify(capacity));
      assert.equal(capacity.error.data, 'noProviderWithCapacity');
      assert.match(capacity.error.message, /capacity/);
      const rate = await quote(VOLUME, '500000000000');
      assert.equal(rate.error?.data, 'noProviderWithinRate', JSON.stringify(rate));
      assert.match(rate.error.message, /rate/);
      assert.equal((await quote(0, MAX_RATE.toString())).error?.data, 'zeroVolume');
      assert.equal((await quote(VOLUME, '1.5')).error?.code, -32602, 'a malformed maxRate is an invalid parameter');
      // The typed definitions decode the same answers.
      const typed = await api.rpc.services.quote(0, 60, 1_300_000_000_000n);
      assert.equal(typed.provider.toString(), C);
      assert.equal(typed.fee.toBigInt(), 60n * UNIT);
      await assert.rejects(api.rpc.services.quote(0, 200, MAX_RATE), /capacity/);
      const typedOffers = await api.rpc.services.offers(0);
      assert.equal(typedOffers.length, 3);
    });

    await step('//Bob//stash requests one instance from each provider; requests without a fit fail with their named errors', async () => {
      const before = await best();
      consumerStart = before;
      const names3 = ['Charlie', 'Dave', 'Eve'];
      for (const [i, n] of names3.entries()) {
        inst[i] = {
          name: n,
          provider: P[n],
          definition: blake2AsHex(`e2e definition ${i}`),
          payload: `ssk://consumer/job-${i}`,
          rate: OFFERS[n].rate,
          fee: OFFERS[n].rate * BigInt(VOLUME),
          // The offer's stake by volume: stake · volume / capacity.
          backing: (OFFERS[n].stake * BigInt(VOLUME)) / BigInt(OFFERS[n].capacity),
        };
      }
      const results = await sendAll(api, [
        ...inst.map((x) => ({
          tx: api.tx.services.request(0, x.definition, x.payload, VOLUME, MAX_RATE, x.provider),
          signer: consumer,
        })),
        { tx: api.tx.services.request(0, blake2AsHex('too big'), 'x', 200, MAX_RATE, null), signer: keys.Bob },
        { tx: api.tx.services.request(0, blake2AsHex('nothing'), 'x', 0, MAX_RATE, null), signer: keys.Bob },
      ]);
      results.slice(0, 3).forEach(assertOk);
      assert.equal(results[3].error, 'services.NoProviderWithCapacity');
      assert.equal(results[4].error, 'services.ZeroVolume');
      consumerFees += feesOf(X, results);
      for (const [i, x] of inst.entries()) {
        const [requested] = eventsNamed(results[i].events, 'services', 'Requested');
        x.requestedAt = results[i].number;
        x.deadline = results[i].number + DEADLINE;
        assert.deepEqual(requested.data.map((v) => v.toString()), [
          String(i), '0', X, x.provider, String(VOLUME), x.fee.toString(), String(x.deadline),
        ]);
        offers[x.name].used += VOLUME;
        offers[x.name].committed += x.backing;
        offers[x.name].active += 1;
      }
      assert.deepEqual(inst.map((x) => x.fee), [10n * UNIT, 12n * UNIT, 15n * UNIT]);
      assert.deepEqual(inst.map((x) => x.backing), [50n * UNIT, 100n * UNIT, 100n * UNIT]);
      const at = last(results);
      const escrow = inst.reduce((s, x) => s + x.fee, 0n);
      assert.equal(await heldAt(api, X, at, 'services.Escrow'), escrow, 'F of each instance in escrow');
      assert.equal(await heldAt(api, X, at, 'services.InstanceDeposit'), 3n * instanceDeposit, 'three instance deposits');
      assert.equal((await (await api.at(at)).query.services.totalEscrow()).toBigInt(), escrow);
      assert.equal(
        await delta(X, before, at),
        -(feesOf(X, results) + escrow + 3n * instanceDeposit),
        'the consumer pays the fees, the escrow and the deposits',
      );
      assert.equal(await delta(B, before, at), -feesOf(B, results), 'the failed requests cost Bob only their fees');
      assert.equal((await holdsAt(api, B, at)).size, 0, 'the failed requests hold nothing');
      for (const i of [0, 1, 2]) await checkInstance(at, i, 'assigned');
      await checkOffers(at, 'after the requests');
      assert.equal(await rpc('services_instance', [3, at.toHex()]), null);
    });

    await step('Charlie and Dave submit results: evidence posts, panel pools backed by the instance stake and paid by the provider', async () => {
      const before = await best();
      for (const i of [0, 1]) {
        inst[i].result = blake2AsHex(`e2e result ${i}`);
        inst[i].evidence = blake2AsHex(`e2e evidence ${i}`);
      }
      const results = await sendAll(api, [
        ...[0, 1].map((i) => ({
          tx: api.tx.services.submitResult(i, inst[i].result, inst[i].evidence),
          signer: keys[inst[i].name],
        })),
        // Instance 2 is not due yet.
        { tx: api.tx.services.cancel(2), signer: consumer },
      ]);
      results.slice(0, 2).forEach(assertOk);
      assert.equal(results[2].error, 'services.DeadlineNotReached');
      assert.ok(results[2].number < inst[2].deadline);
      consumerFees += results[2].fee;
      const at = last(results);
      let minted = 0n;
      for (const i of [0, 1]) {
        const x = inst[i];
        const [submitted] = eventsNamed(results[i].events, 'services', 'ResultSubmitted');
        x.post = submitted.data[2].toNumber();
        x.pool = submitted.data[3].toNumber();
        x.evaluationFee = submitted.data[4].toBigInt();
        // The validators' share of F, at least the parameter set's minimum fee.
        assert.equal(x.evaluationFee, perbillFloor(VALIDATORS_SHARE, x.fee));
        assert.ok(x.evaluationFee >= SVC.minFee);
        assert.equal(submitted.data[1].toHex(), x.result);
        const pool = await rpc('reputation_pool', [x.pool, at.toHex()]);
        x.minted = fixedMulInt(SVC.mintingRatio, x.evaluationFee);
        minted += x.minted;
        x.mintedFor = perbillFloor(SVC.stakeForAuthor, x.minted);
        x.mintedAgainst = x.minted - x.mintedFor;
        assert.equal(pool.initiator, x.provider);
        assert.equal(pool.fee, x.evaluationFee.toString());
        assert.equal(pool.backer, x.provider);
        assert.equal(pool.backing, x.backing.toString());
        assert.equal(pool.mintedFor, x.mintedFor.toString());
        assert.equal(pool.mintedAgainst, x.mintedAgainst.toString());
        assert.equal(pool.post, x.post);
        assert.equal(pool.state, 'open');
        assert.equal(pool.params.duration, SVC.duration);
        x.panel = pool.panel;
        x.quorumBase = BigInt(pool.quorumBase);
        assert.ok(x.panel.length >= 1 && x.panel.length <= PANEL_SIZE, `panel of ${x.panel.length}`);
        assert.ok(!x.panel.includes(x.provider), 'the provider (the post author) is not on its panel');
        assert.ok(!x.panel.includes(X), 'the consumer holds no REP');
        t.diagnostic(`instance ${i} (${x.name}): pool ${x.pool}, panel ${x.panel.map((a) => nameOf.get(a)).join(', ')}`);
        const post = await rpc('reputation_post', [x.post, at.toHex()]);
        assert.equal(post.contentHash, x.evidence);
        assert.deepEqual(post.authors, [{ account: x.provider, weight: 1_000_000_000 }]);
        await checkInstance(at, i, 'evaluating', { pool: x.pool, post: x.post, result: x.result });
        // The provider paid the transaction fee, the pool's fee and the post's deposit.
        x.postDeposit = await heldAt(api, x.provider, at, 'reputation.PostDeposit');
        assert.ok(x.postDeposit > 0n);
        assert.equal(await delta(x.provider, before, at), -(results[i].fee + x.evaluationFee + x.postDeposit));
        // The backing left the bond for the pool.
        const r = await rep(x.provider, at);
        assert.equal(r.bonded, (OFFERS[x.name].stake - x.backing).toString());
        assert.equal(r.staked, x.backing.toString());
        offers[x.name].stake -= x.backing;
        offers[x.name].committed -= x.backing;
      }
      assert.equal(await delta(pot, before, at), inst[0].evaluationFee + inst[1].evaluationFee, 'the pool fees are in the pot');
      supply += minted;
      assert.equal(await supplyAt(at), supply, 'each pool minted fee × minting ratio');
      await checkInstance(at, 2, 'assigned');
      await checkOffers(at, 'after the submissions');
    });

    await step("the panels stake (for Charlie's work, against Dave's); the pools settle: Charlie and the author are paid, the consumer refunded for Dave's", async () => {
      const stakes = [];
      for (const [i, side] of [[0, 'For'], [1, 'Against']]) {
        for (const member of inst[i].panel) {
          stakes.push({ tx: api.tx.reputation.stake(inst[i].pool, side, MEMBER_STAKE), signer: byAddress.get(member) });
        }
      }
      const before = await best();
      const staked = await sendAll(api, stakes);
      staked.forEach(assertOk);
      // Every panel member has staked: anyone may settle before the window ends.
      const settled = await sendAll(api, [0, 1].map((i) => ({ tx: api.tx.reputation.settle(inst[i].pool), signer: keys.Bob })));
      settled.forEach(assertOk);
      const at = last(settled);
      const all = [...staked, ...settled];

      // Instance 0, passed: quorum and win ratio, forfeits (the minted half against) shared
      // between the post (its minted half's share) and the winning stakes (members and backing).
      const x0 = inst[0];
      const s0 = MEMBER_STAKE * BigInt(x0.panel.length);
      const for0 = x0.mintedFor + s0 + x0.backing;
      assert.ok(perbillCeil(SVC.quorum, x0.quorumBase) <= s0, 'quorum met');
      assert.ok(perbillCeil(SVC.winRatio, for0 + x0.mintedAgainst) <= for0, 'win ratio met');
      const forfeits0 = x0.mintedAgainst;
      const postShare0 = mulDiv(forfeits0, x0.mintedFor, for0);
      const winnings0 = forfeits0 - postShare0;
      const toPost0 = x0.mintedFor + postShare0;
      const payout0 = x0.backing + mulDiv(x0.backing, winnings0, s0 + x0.backing);
      const [ps0] = eventsNamed(settled[0].events, 'reputation', 'PoolSettled');
      assert.deepEqual(ps0.data.map((v) => v.toString()), [
        String(x0.pool), 'Passed', for0.toString(), x0.mintedAgainst.toString(), toPost0.toString(), '0', winnings0.toString(),
      ]);
      const [paid] = eventsNamed(settled[0].events, 'services', 'Paid');
      const share = perbillFloor(AUTHOR_SHARE, x0.fee);
      assert.equal(share, UNIT);
      assert.deepEqual(paid.data.map((v) => v.toString()), ['0', (x0.fee - share).toString(), share.toString()]);
      // Instance 1, failed: the backing forfeits entirely (binding 100 %); the minted REP and the
      // backing go to the members who staked against.
      const x1 = inst[1];
      const s1 = MEMBER_STAKE * BigInt(x1.panel.length);
      const for1 = x1.mintedFor + x1.backing;
      const against1 = x1.mintedAgainst + s1;
      assert.ok(perbillCeil(SVC.quorum, x1.quorumBase) <= s1, 'quorum met');
      assert.ok(perbillCeil(SVC.winRatio, for1 + against1) > for1, 'win ratio not met');
      const winnings1 = x1.mintedFor + x1.mintedAgainst + perbillFloor(SVC.binding, x1.backing);
      const [ps1] = eventsNamed(settled[1].events, 'reputation', 'PoolSettled');
      assert.deepEqual(ps1.data.map((v) => v.toString()), [
        String(x1.pool), 'Failed', for1.toString(), against1.toString(), '0', '0', winnings1.toString(),
      ]);
      const [back1] = eventsNamed(settled[1].events, 'reputation', 'BackingReturned');
      assert.deepEqual(back1.data.map((v) => v.toString()), [String(x1.pool), D, x1.backing.toString(), '0']);
      const [refunded] = eventsNamed(settled[1].events, 'services', 'Refunded');
      assert.equal(refunded.data[0].toNumber(), 1);
      assert.equal(refunded.data[1].toBigInt(), x1.fee);
      assert.equal(refunded.data[2].type, 'Failed');

      // Balances over this step: the provider gets F minus the author's share, the author (a new
      // account) exactly the share, the consumer Dave's F back; Dave gets nothing.
      assert.equal(await delta(C, before, at), x0.fee - share - feesOf(C, all), 'Charlie: F − author share');
      assert.equal(await freeAt(api, W, at), share, 'the service author: exactly the share');
      assert.equal(await delta(X, before, at), x1.fee, 'the consumer: F of instance 1 refunded');
      assert.equal(await delta(D, before, at), -feesOf(D, all), 'Dave: nothing');
      assert.equal(await heldAt(api, X, at, 'services.Escrow'), inst[2].fee, 'only instance 2 is in escrow');
      assert.equal((await (await api.at(at)).query.services.totalEscrow()).toBigInt(), inst[2].fee);

      // REP: Charlie's post got the pool's minted REP for (and its share of the forfeits); his
      // backing returned to the bond with its winnings; Dave's backing is gone from his bond.
      const stakedBy = (who) => all.filter((r) => r.signer === who && r.call === 'reputation.stake').length;
      const rc = await rep(C, at);
      assert.equal(rc.free, (1_000n * UNIT - OFFERS.Charlie.stake + toPost0 - MEMBER_STAKE * BigInt(stakedBy(C))).toString());
      assert.equal(rc.bonded, (OFFERS.Charlie.stake - x0.backing + payout0).toString());
      const rd = await rep(D, at);
      assert.equal(rd.bonded, (OFFERS.Dave.stake - x1.backing).toString());
      assert.equal(rd.free, (1_000n * UNIT - OFFERS.Dave.stake - MEMBER_STAKE * BigInt(stakedBy(D))).toString());
      assert.equal(rd.staked, (MEMBER_STAKE * BigInt(stakedBy(D))).toString(), "Dave's backing left the pool for good");
      assert.equal(await supplyAt(at), supply, 'settling moved REP (to the post, the winners), it burned none');
      const pool0 = await rpc('reputation_pool', [x0.pool, at.toHex()]);
      assert.equal(pool0.verdict, 'passed');
      assert.equal(pool0.memberWinnings, winnings0.toString());
      const pool1 = await rpc('reputation_pool', [x1.pool, at.toHex()]);
      assert.equal(pool1.verdict, 'failed');
      assert.equal(pool1.memberWinnings, winnings1.toString());

      await checkInstance(at, 0, 'completed');
      await checkInstance(at, 1, 'failed');
      offers.Charlie.stake += payout0;
      for (const n of ['Charlie', 'Dave']) {
        offers[n].used -= VOLUME;
        offers[n].active -= 1;
        assert.equal(offers[n].committed, 0n, `${n}: nothing committed any more`);
      }
      await checkOffers(at, 'after the settlements');
    });

    await step("Eve misses the deadline: too late to decline, the consumer cancels, is refunded F and Eve's backing is burned", async () => {
      const x = inst[2];
      await waitForBlock(api, x.deadline - 1);
      // A provider declines only in the first half of the time from request to deadline.
      const [late] = await sendAll(api, [{ tx: api.tx.services.decline(2), signer: keys.Eve }]);
      assert.equal(late.error, 'services.DeclineWindowClosed');
      assert.ok(late.number >= x.requestedAt + DEADLINE / 2);
      const before = await best();
      const [res] = await sendAll(api, [{ tx: api.tx.services.cancel(2), signer: consumer }]);
      assertOk(res);
      assert.ok(res.number >= x.deadline);
      consumerFees += res.fee;
      const [refunded] = eventsNamed(res.events, 'services', 'Refunded');
      assert.deepEqual([refunded.data[0].toNumber(), refunded.data[1].toBigInt(), refunded.data[2].type], [2, x.fee, 'Cancelled']);
      const [slashed] = eventsNamed(res.events, 'services', 'Slashed');
      assert.deepEqual(slashed.data.map((v) => v.toString()), ['2', E, x.backing.toString()]);
      const [bondSlashed] = eventsNamed(res.events, 'reputation', 'BondSlashed');
      assert.deepEqual(bondSlashed.data.map((v) => v.toString()), [E, x.backing.toString()]);
      const at = res.blockHash;
      assert.equal(await delta(X, before, at), x.fee - res.fee, 'the consumer: F refunded, minus the fee');
      assert.equal(await heldAt(api, X, at, 'services.Escrow'), 0n, 'no escrow left');
      assert.equal(await heldAt(api, X, at, 'services.InstanceDeposit'), 3n * instanceDeposit, 'the records stay until closed');
      assert.equal((await (await api.at(at)).query.services.totalEscrow()).toBigInt(), 0n);
      supply -= x.backing;
      assert.equal(await supplyAt(at), supply, 'the REP supply drops by the backing');
      assert.equal((await rep(E, at)).bonded, (OFFERS.Eve.stake - x.backing).toString());
      await checkInstance(at, 2, 'cancelled');
      offers.Eve.stake -= x.backing;
      offers.Eve.committed -= x.backing;
      offers.Eve.used -= VOLUME;
      offers.Eve.active -= 1;
      await checkOffers(at, 'after the cancellation');
      // Over the whole scenario the consumer paid instance 0's fee, three deposits and its
      // transaction fees: instances 1 and 2 were refunded in full.
      assert.equal(await delta(X, consumerStart, at), -(inst[0].fee + 3n * instanceDeposit + consumerFees));
      t.diagnostic(`scenario done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    });
  });
});
