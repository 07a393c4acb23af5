// Governance by reputation on a mining dev node: REP holders vote proposals through validation
// pools and passed ones are enacted by the scheduler with their track's origin.
//
// The scenarios run side by side on one node (each proposer's extrinsics in order), so the file
// takes about as long as its slowest scenario, the runtime upgrade:
//  - bootstrap: the chain's first proposal gets pool 0, which always passes: it is never enacted;
//  - parameters: a new difficulty target, voted and enacted at the scheduled block: the old
//    target before it, the new one from it, and the retarget of that very block follows it;
//  - a failed vote: the deposit is forfeited and every governed storage item is byte-identical
//    after the block the call would have been enacted in;
//  - refusals at `propose`: calls outside the track's allow-list, also hidden in a batch, and
//    calls on the list whose arguments it refuses (the tracks' own parameter sets);
//  - emergency: a scheduled parameter change cancelled by the emergency track before it runs;
//  - upgrade: `authorize_upgrade` voted on the upgrade track, then the upgrade-rehearsal runtime
//    (this runtime with the next spec version, built beside it by runtime/build.rs) applied
//    with the unsigned `system.applyAuthorizedUpgrade`: the spec version goes up, blocks keep
//    being mined, the retarget is continuous across the upgrade, and the new runtime answers.
//
// Dev tracks (runtime/src/genesis_config_presets.rs): parameters votes 6 blocks and enacts 26
// blocks after settling; upgrade votes 12 and enacts 26 after; emergency votes 3 and enacts 10
// after. Alice and Bob hold the genesis REP (1,000 each); the stash accounts propose.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { gpowApiOptions } from '@gpow/api';

import { eventsAt } from './lib/chain.mjs';
import {
  EMERGENCY,
  PARAMETERS,
  Submitter,
  UNIT,
  UPGRADE,
  governanceEventsAt,
  governedState,
  hashOf,
  rehearsalWasm,
  retargetAt,
} from './lib/governance.mjs';
import { devAccount, freshAccount, waitForBlock, withNode, withTimeout } from './lib/node.mjs';
import { assertOk, eventsNamed } from './lib/reputation.mjs';
import { heldAt } from './lib/services.mjs';

/** Starts a scenario now; its failure is reported where it is awaited (by its step). */
function scenario(body) {
  const run = body();
  run.catch(() => {});
  return run;
}

/**
 * The events of block `hash` decoded with the metadata of its parent: those of the block that
 * applies a runtime upgrade, written by the runtime it replaces.
 */
async function eventsByParentRuntime(api, hash, parentHash) {
  const apiParent = await api.at(parentHash);
  const key = apiParent.query.system.events.key();
  const raw = await api.rpc.state.getStorage.raw(key, hash);
  return apiParent.registry.createType('Vec<FrameSystemEventRecord>', raw);
}

/** How much more governance holds from `who` at block `hash` than at its parent. */
async function heldBy(api, who, hash) {
  const { parentHash } = await api.rpc.chain.getHeader(hash);
  const deposit = 'governance.ProposalDeposit';
  return (await heldAt(api, who, hash, deposit)) - (await heldAt(api, who, parentHash, deposit));
}

test('governance: parameters, a failed vote, refusals, an emergency cancel and a runtime upgrade', async (t) => {
  const author = await freshAccount();
  const [alice, bob, aliceStash, bobStash] = await Promise.all(
    ['Alice', 'Bob', 'Alice//stash', 'Bob//stash'].map((n) => devAccount(n)),
  );
  await withNode(t, { author: author.address, connect: false }, async (node, step) => {
    const api = await node.connect(gpowApiOptions);
    const chain = new Submitter(api);
    // In id order (the node sorts them; the test does not rely on it).
    const tracks = [...(await api.rpc.governance.tracks())].sort((a, b) => a.id.toNumber() - b.id.toNumber());

    await step('the tracks are served with their settings and allow-lists', async () => {
      assert.deepEqual(
        tracks.map((tr) => [tr.id.toNumber(), tr.name.toString(), tr.paramSet.toString()]),
        [
          [PARAMETERS, 'parameters', 'gov-parameters'],
          [UPGRADE, 'upgrade', 'gov-upgrade'],
          [EMERGENCY, 'emergency', 'gov-emergency'],
        ],
      );
      const allowed = tracks[UPGRADE].allowedCalls.map(([p, c]) => `${p}.${c}`);
      assert.deepEqual(allowed, ['Governance.authorize_upgrade', 'Reputation.set_parameter_set']);
      assert.ok(tracks[PARAMETERS].allowedCalls.some(([p, c]) => `${p}.${c}` === 'Difficulty.set_target_block_time'));
      assert.ok(tracks[PARAMETERS].enactmentDelay.toNumber() >= 10, 'delay below the dev confirmation depth');
    });
    const delay = (track) => tracks[track].enactmentDelay.toNumber();
    const deposit = (track) => tracks[track].deposit.toBigInt();

    // ---- the bootstrap pool: the chain's first pool always passes, so it never enacts --------
    const bootstrapTarget = 9_999;
    const first = await chain.propose(aliceStash, PARAMETERS, api.tx.difficulty.setTargetBlockTime(bootstrapTarget));
    assert.equal(first.pool, 0, 'the first proposal of the chain gets the bootstrap pool');
    const bootstrap = scenario(async () => {
      const { outcome, res } = await chain.settle(first.pool, aliceStash);
      assert.equal(outcome.method, 'BootstrapIgnored', `pool 0 passes but never enacts, got ${outcome.method}`);
      assert.equal(await heldBy(api, aliceStash.address, res.blockHash), -deposit(PARAMETERS), 'deposit returned');
      const events = await eventsAt(api, res.blockHash);
      assert.equal(eventsNamed(events, 'balances', 'Burned').length, 0, 'nothing forfeited');
      assert.equal((await api.rpc.governance.proposal(first.proposal)).unwrap().status.type, 'Bootstrap');
      await waitForBlock(api, res.number + delay(PARAMETERS) + 1);
      const target = (await api.query.difficulty.targetBlockTime()).toNumber();
      assert.notEqual(target, bootstrapTarget, 'the bootstrap proposal was never enacted');
    });

    // ---- parameters: a new difficulty target --------------------------------------------------
    const parameterChange = scenario(async () => {
      const before = (await api.query.difficulty.targetBlockTime()).toNumber();
      const target = before + 500;
      const { proposal, pool } = await chain.propose(aliceStash, PARAMETERS, api.tx.difficulty.setTargetBlockTime(target));
      await chain.stake(bob, pool, 'For', 250n * UNIT);
      const { outcome, res } = await chain.settle(pool, aliceStash);
      assert.equal(outcome.method, 'Scheduled', `the pool passed, got governance.${outcome.method}`);
      const at = outcome.data[1].toNumber();
      assert.equal(at, res.number + delay(PARAMETERS), 'enactment block = settlement + enactment delay');
      const rpc = (await api.rpc.governance.proposal(proposal)).unwrap();
      assert.equal(rpc.status.type, 'Scheduled');
      assert.equal(rpc.enactmentAt.unwrap().toNumber(), at);

      const [hashBefore, hashAt] = [await hashOf(api, at - 1), await hashOf(api, at)];
      assert.equal((await (await api.at(hashBefore)).query.difficulty.targetBlockTime()).toNumber(), before);
      assert.equal((await (await api.at(hashAt)).query.difficulty.targetBlockTime()).toNumber(), target);
      const events = await eventsAt(api, hashAt);
      const enacted = eventsNamed(events, 'governance', 'Enacted').find((e) => e.data[0].toNumber() === proposal);
      assert.ok(enacted, `no governance.Enacted for proposal ${proposal} in block #${at}`);
      assert.ok(enacted.data[1].isOk, `the enactment failed: ${enacted.data[1].toString()}`);
      assert.ok(eventsNamed(events, 'difficulty', 'TargetBlockTimeSet').length === 1);
      // The retarget in the enactment block already uses the new target (the scheduler runs in
      // on_initialize, the timestamp inherent after it); the block before used the old one.
      const atEnactment = await retargetAt(api, hashAt, target);
      assert.equal(atEnactment.stored, atEnactment.expected, 'retarget at the enactment block');
      const withOldTarget = await retargetAt(api, hashAt, before);
      assert.notEqual(withOldTarget.expected, atEnactment.stored, 'the old target would give another difficulty');
      const beforeEnactment = await retargetAt(api, hashBefore, before);
      assert.equal(beforeEnactment.stored, beforeEnactment.expected, 'retarget before the enactment block');
      const done = (await api.rpc.governance.proposal(proposal)).unwrap();
      assert.equal(done.status.type, 'Enacted');
      assert.ok(done.succeeded.unwrap().isTrue);
      t.diagnostic(`target ${before} -> ${target} ms at #${at}; difficulty there ${atEnactment.stored}`);
      return { targetKey: api.query.difficulty.targetBlockTime.key() };
    });

    // ---- a failed vote --------------------------------------------------------------------------
    const failedVote = scenario(async () => {
      const best = await api.rpc.chain.getHeader();
      const exclude = [api.query.difficulty.targetBlockTime.key()]; // changed by the scenario above
      const snapshot = await governedState(api, best.hash, { exclude });
      const reward = api.tx.parameters.setParameter({ Rewards: { BlockReward: [null, 20n * UNIT] } });
      const { proposal, pool, res: proposed } = await chain.propose(bobStash, PARAMETERS, reward);
      assert.equal(await heldBy(api, bobStash.address, proposed.blockHash), deposit(PARAMETERS), 'the deposit is held');
      await chain.stake(alice, pool, 'Against', 250n * UNIT);
      const { outcome, res } = await chain.settle(pool, bobStash);
      assert.equal(outcome.method, 'Rejected', `the pool failed, got governance.${outcome.method}`);
      assert.equal(outcome.data[1].toBigInt(), deposit(PARAMETERS), 'the whole deposit is forfeited');
      assert.equal(await heldBy(api, bobStash.address, res.blockHash), -deposit(PARAMETERS), 'the deposit is no longer held');
      // Past the block the call would have been enacted in, nothing governed has changed.
      const after = await hashOf(api, res.number + delay(PARAMETERS) + 1);
      assert.deepEqual(await governedState(api, after, { exclude }), snapshot);
      assert.equal((await api.rpc.governance.proposal(proposal)).unwrap().status.type, 'Rejected');
    });

    // ---- refusals -------------------------------------------------------------------------------
    const refusals = scenario(async () => {
      const transfer = api.tx.balances.transferKeepAlive(bob.address, UNIT);
      const govParams = (await api.query.reputation.parameterSets('gov-upgrade')).unwrap().toJSON();
      const cases = [
        // The parameters track may not weaken the tracks' own parameter sets.
        [PARAMETERS, api.tx.reputation.setParameterSet('gov-upgrade', { ...govParams, quorum: 0 })],
        [PARAMETERS, api.tx.reputation.removeParameterSet('gov-emergency')],
        // The emergency track cancels only live proposals.
        [EMERGENCY, api.tx.governance.cancel(4_000_000)],
        [PARAMETERS, transfer],
        [PARAMETERS, api.tx.utility.batch([api.tx.difficulty.setTargetBlockTime(3_000), transfer])],
        [PARAMETERS, api.tx.utility.batchAll([api.tx.utility.batch([transfer])])],
        [UPGRADE, api.tx.difficulty.setTargetBlockTime(3_000)],
        [EMERGENCY, api.tx.system.remark('0x00')],
      ];
      const post = await chain.post(aliceStash);
      for (const [track, call] of cases) {
        const res = await chain.send(api.tx.governance.propose(post, track, call), aliceStash);
        assert.equal(res.error, 'governance.CallNotAllowed', `track ${track}: ${call.method.section}.${call.method.method}`);
        // The refused proposal held nothing: no governance event, no proposal on the post.
        assert.equal(res.events.filter(({ event }) => event.section === 'governance').length, 0);
      }
      assert.ok((await api.query.governance.proposalOfPost(post)).isNone);
      const unknown = await chain.send(api.tx.governance.propose(post, 9, transfer), aliceStash);
      assert.equal(unknown.error, 'governance.UnknownTrack');
      const notAuthor = await chain.send(api.tx.governance.propose(post, PARAMETERS, transfer), bobStash);
      assert.equal(notAuthor.error, 'governance.NotAuthor');
    });

    // ---- emergency: cancel a scheduled change ---------------------------------------------------
    const emergency = scenario(async () => {
      const name = 'evaluation-fast';
      const setsBefore = (await api.query.reputation.parameterSets(name)).toHex();
      const params = (await api.query.reputation.parameterSets('default')).unwrap().toJSON();
      const change = api.tx.reputation.setParameterSet(name, { ...params, duration: 7 });
      const target = await chain.propose(aliceStash, PARAMETERS, change);
      await chain.stake(bob, target.pool, 'For', 250n * UNIT);
      // The cancel is proposed while the change still votes: it runs when enacted, 3 + 10 blocks
      // on, by which time the change is scheduled (its window ends first), and it runs long
      // before the change's own enactment, 26 blocks after that. The emergency track votes for
      // 3 blocks: the stakes must be in one of the next two, but the block after the proposal's
      // was prepared before the test saw it, and on a PoW chain the next can come within a
      // second. Stakes that come too late (VotingClosed) leave that cancel unsettled, and the
      // cancel is proposed again (the margin holds three tries).
      let cancel;
      for (let attempt = 1; !cancel; attempt += 1) {
        const proposed = await chain.propose(bobStash, EMERGENCY, api.tx.governance.cancel(target.proposal));
        const stakes = await Promise.all([
          chain.send(api.tx.reputation.stake(proposed.pool, 'For', 350n * UNIT), alice),
          chain.send(api.tx.reputation.stake(proposed.pool, 'For', 300n * UNIT), bob),
        ]);
        const late = stakes.some((res) => res.error === 'reputation.VotingClosed');
        if (late && attempt < 3) {
          t.diagnostic(`emergency: the stakes came after pool ${proposed.pool}'s window (attempt ${attempt}); proposing again`);
          continue;
        }
        stakes.forEach(assertOk);
        cancel = proposed;
      }
      const [scheduled, { outcome }] = await Promise.all([
        chain.settle(target.pool, aliceStash),
        chain.settle(cancel.pool, bobStash),
      ]);
      assert.equal(scheduled.outcome.method, 'Scheduled');
      const at = scheduled.outcome.data[1].toNumber();
      assert.equal(outcome.method, 'Scheduled', `the emergency pool passed, got ${outcome.method}`);
      assert.ok(outcome.data[1].toNumber() > scheduled.res.number, 'the cancel runs once the change is scheduled');
      const cancelAt = outcome.data[1].toNumber();
      assert.ok(cancelAt < at, `the cancel (#${cancelAt}) must run before the change (#${at})`);
      const events = await governanceEventsAt(api, cancelAt);
      assert.ok(events.some((e) => e.method === 'Cancelled' && e.data[0].toNumber() === target.proposal));
      assert.ok(events.some((e) => e.method === 'Enacted' && e.data[0].toNumber() === cancel.proposal && e.data[1].isOk));
      const atChange = await governanceEventsAt(api, at);
      assert.ok(!atChange.some((e) => e.method === 'Enacted' && e.data[0].toNumber() === target.proposal));
      const after = await hashOf(api, at + 1);
      assert.equal((await (await api.at(after)).query.reputation.parameterSets(name)).toHex(), setsBefore);
      assert.equal((await api.rpc.governance.proposal(target.proposal)).unwrap().status.type, 'Cancelled');
    });

    // ---- upgrade ---------------------------------------------------------------------------------
    const rehearsal = rehearsalWasm();
    const specBefore = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();
    const authorized = scenario(async () => {
      const { pool } = await chain.propose(bobStash, UPGRADE, api.tx.governance.authorizeUpgrade(rehearsal.hash));
      await Promise.all([
        chain.stake(alice, pool, 'For', 300n * UNIT),
        chain.stake(bob, pool, 'For', 150n * UNIT),
      ]);
      const { outcome } = await chain.settle(pool, bobStash);
      assert.equal(outcome.method, 'Scheduled', `the upgrade pool passed, got ${outcome.method}`);
      const at = outcome.data[1].toNumber();
      const events = await eventsAt(api, await hashOf(api, at));
      const auth = eventsNamed(events, 'system', 'UpgradeAuthorized');
      assert.equal(auth.length, 1, `no system.UpgradeAuthorized in #${at}`);
      assert.equal(auth[0].data[0].toHex(), rehearsal.hash);
      return at;
    });

    await step('a proposal voted in the bootstrap pool is never enacted', () => bootstrap);
    await step('a parameter change is enacted at its block and the retarget follows it', () => parameterChange);
    await step('a failed vote forfeits the deposit and changes nothing governed', () => failedVote);
    await step('calls outside the allow-list are refused at propose, batches included', () => refusals);
    await step('the emergency track cancels a scheduled enactment', () => emergency);

    await step('a runtime upgrade voted on the upgrade track, applied on the mining node', async () => {
      await authorized;
      // Submitted unsigned through the plain RPC: @polkadot/api's own `send` would decode the
      // block's events with the new runtime's metadata, though the old runtime wrote them.
      const tx = api.tx.system.applyAuthorizedUpgrade(rehearsal.code);
      let unsubscribe;
      const applied = await withTimeout(
        new Promise((resolve, reject) => {
          api.rpc.author
            .submitAndWatchExtrinsic(tx, (status) => {
              if (status.isInBlock) resolve(status.asInBlock);
              else if (status.isInvalid || status.isDropped || status.isUsurped) {
                reject(new Error(`applyAuthorizedUpgrade: ${status.type}`));
              }
            })
            .then((u) => {
              unsubscribe = u;
            })
            .catch(reject);
        }),
        120_000,
        'applyAuthorizedUpgrade to be included',
      ).finally(() => unsubscribe?.());
      const header = await api.rpc.chain.getHeader(applied);
      const upgradeBlock = header.number.toNumber();
      // The old runtime wrote the upgrade block's events: decode them with its metadata.
      const events = await eventsByParentRuntime(api, applied, header.parentHash);
      assert.equal(eventsNamed(events, 'system', 'CodeUpdated').length, 1, `no system.CodeUpdated in #${upgradeBlock}`);
      // Mining goes on with the new runtime.
      const later = await waitForBlock(api, upgradeBlock + 4);
      const version = await api.rpc.state.getRuntimeVersion(later.hash);
      assert.equal(version.specVersion.toNumber(), specBefore + 1);
      const apiLater = await api.at(later.hash);
      const core = await apiLater.call.core.version();
      assert.equal(core.implName.toString(), 'gpow-upgrade-rehearsal', 'the new runtime answers Core_version');
      const last = (await apiLater.query.system.lastRuntimeUpgrade()).unwrap();
      assert.equal(last.specVersion.toNumber(), specBefore + 1, 'the new runtime ran its upgrade hook');
      // The retarget is continuous: every block around the upgrade stores what the formula gives
      // from its window and the (unchanged) target.
      const target = (await apiLater.query.difficulty.targetBlockTime()).toNumber();
      for (let n = upgradeBlock - 2; n <= upgradeBlock + 4; n++) {
        const { stored, expected } = await retargetAt(api, await hashOf(api, n), target);
        assert.equal(stored, expected, `retarget at #${n} (upgrade in #${upgradeBlock})`);
      }
      t.diagnostic(`upgrade to spec ${specBefore + 1} (${rehearsal.bytes} bytes) in #${upgradeBlock}; mined on to #${later.number}`);
    });
  });
});
