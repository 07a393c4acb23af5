// A network of nodes on 127.0.0.1 (lib/net.mjs: fixed node keys, reserved peers only, links cut
// and restored through RPC), in two networks side by side:
//
// - "net": miners A and B (one mining thread each, fresh authors) and a full node C, on a dev chain
//   with a 1 s target block time:
//   1. one chain: both miners author blocks on the common finalized chain, and the finalized heads
//      of the three nodes agree (same hash at the same height);
//   2. a split shallower than the confirmation depth (10): {A} | {B, C}; a transfer sent to A only
//      lands in a block of A's alone; A is held (SIGSTOP) while B's side gets 5 blocks ahead; after
//      the heal A reorganises onto B's chain (seconds reported), A's block is abandoned and the
//      transfer is included again on the final chain, exactly once;
//   3. kill -9 of miner B during a transaction flood, three times: after each crash
//      `gpow-node check-block` passes on its base path for the last block it had finalized, and
//      restarted there it still has that block, catches up with the others and mines again
//      (seconds to the first new block and to its own next block reported).
// - "sync": a miner on a chain with a 100 ms target block time mines a few hundred blocks, then a
//   late joiner syncs them (blocks/s reported, from its import queue's log), next to
//   `import-blocks` of the same exported chain into an empty base path, measured the same way.
//
// GPOW_NET_SYNC_BLOCKS (default 300) sets how many blocks the late joiner syncs.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { freeAt, nonceAt, sendAndWaitInBlock } from './lib/chain.mjs';
import { authorOf, devSpecWith, waitUntil, withNet } from './lib/net.mjs';
import { devAccount, freshAccount, runBinary, sleep, tmpDir } from './lib/node.mjs';
import { headerParts, sealOfParts } from './lib/seal.mjs';

const DEPTH = 10; // the confirmation depth of Development chains
const SYNC_BLOCKS = Number(process.env.GPOW_NET_SYNC_BLOCKS || 300);
const KILLS = 3;
/** Blocks B's side gets ahead of A's branch before the heal. */
const LEAD = 5;
const UNIT = 1_000_000_000_000n;

/** A `t.test` that stops the scenario when it fails (later steps depend on it). */
async function step(t, name, body) {
  let ok = false;
  await t.test(name, async (st) => {
    await body(st);
    ok = true;
  });
  if (!ok) throw new Error(`step "${name}" failed; the rest of the scenario depends on it`);
}

/** The header of `hash` (or the best) through @polkadot/api. */
const headerOf = (api, hash) => (hash ? api.rpc.chain.getHeader(hash) : api.rpc.chain.getHeader());

/** Claimed difficulty of a block (its seal). */
const difficultyOf = (header) => sealOfParts(headerParts(header)).difficulty;

/** Timestamp (ms since the epoch) of a `--detailed-log-output` log line. */
function lineTime(line) {
  const m = line.match(/^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})/);
  return m ? new Date(`${m[1]}T${m[2]}`).getTime() : null;
}

/**
 * Import speed from a log written with `-l sync::import-queue=debug --detailed-log-output`:
 * blocks imported after the first batch, over the time from the end of the first batch to the end
 * of the last (the first batch also pays for compiling the runtime, which a node on a raw chain
 * spec does at its first block). Resolves with `{ blocks, seconds, rate }`.
 */
function importWindow(log) {
  const done = log
    .split('\n')
    .map((l) => [lineTime(l), l.match(/sync::import-queue: Imported (\d+) out of \d+ blocks/)])
    .filter(([time, m]) => time !== null && m)
    .map(([time, m]) => ({ time, count: Number(m[1]) }));
  assert.ok(done.length >= 2, 'fewer than two import-queue batches in the log');
  const blocks = done.slice(1).reduce((sum, d) => sum + d.count, 0);
  const seconds = (done.at(-1).time - done[0].time) / 1000;
  return { blocks, seconds, rate: blocks / seconds };
}

const IMPORT_LOG = ['-l', 'sync::import-queue=debug', '--detailed-log-output'];

test('network: 3 nodes / 2 miners, a late joiner, a shallow split, kill -9 under a flood', { concurrency: true }, async (t) => {
  const specDir = tmpDir('net-specs');
  const [spec1s, spec100ms] = await Promise.all([
    devSpecWith({ targetBlockTime: 1000, initialDifficulty: 2_000_000, id: 'gpow_net_1s' }, specDir),
    devSpecWith({ targetBlockTime: 100, initialDifficulty: 1_000, id: 'gpow_net_100ms' }, specDir),
  ]);
  await Promise.all([
    t.test('late joiner syncs a chain of many blocks (blocks/s)', (st) => lateJoiner(st, spec100ms)),
    t.test('3 nodes, 2 miners', (st) => threeNodes(st, spec1s)),
  ]);
  fs.rmSync(specDir, { recursive: true, force: true });
});

async function lateJoiner(t, spec) {
  const miner = await freshAccount();
  let exportFrom = null; // miner's base path, chain height
  await withNet(
    t,
    {
      name: 'sync',
      chainArgs: ['--chain', spec],
      members: [{ author: miner.address }, { start: false, extraArgs: IMPORT_LOG }],
    },
    async (net) => {
      const mined = await waitUntil(
        async () => {
          const { best } = await net.heads(0);
          return best.number >= SYNC_BLOCKS && best;
        },
        240_000,
        `the miner to reach #${SYNC_BLOCKS}`,
        500,
      );
      t.diagnostic(`miner at #${mined.number}; starting the late joiner`);
      const t0 = Date.now();
      await net.start(1, { connect: false });
      const ready = Date.now();
      await waitUntil(
        async () => (await net.hashAt(1, mined.number)) === mined.hash,
        120_000,
        `the joiner to sync #${mined.number}`,
        20,
      );
      const synced = Date.now();
      const sync = importWindow(net.node(1).log);
      t.diagnostic(
        `late joiner: ${sync.rate.toFixed(0)} blocks/s (import queue: ${sync.blocks} blocks after the first batch in ${sync.seconds.toFixed(3)} s); ` +
          `RPC up ${((ready - t0) / 1000).toFixed(1)} s after spawn, ` +
          `synced ${((synced - ready) / 1000).toFixed(2)} s after RPC up (${(mined.number / ((synced - ready) / 1000)).toFixed(0)} blocks/s)`,
      );
      // The same chain: the joiner finalizes (at the first new best block after the sync, as
      // blocks of the initial sync are imported without notifications) the miner's block.
      const j = await waitUntil(
        async () => {
          const h = await net.heads(1);
          return h.finalized.number >= mined.number - DEPTH && h;
        },
        30_000,
        `the joiner to finalize #${mined.number - DEPTH}`,
      );
      assert.equal(await net.hashAt(0, j.finalized.number), j.finalized.hash, 'the joiner finalized a block the miner does not have');
      await net.stop(1);
      await net.stop(0);
      exportFrom = { basePath: net.members[0].basePath, number: mined.number };
      // import-blocks of the same chain, exported from the miner's base path.
      const dir = tmpDir('net-import');
      const file = path.join(dir, 'blocks.bin');
      const exp = await runBinary(
        ['export-blocks', '--chain', spec, '--base-path', exportFrom.basePath, '--from', '1', '--to', String(exportFrom.number), file],
        { name: 'net-export-blocks' },
      );
      assert.equal(exp.code, 0, `export-blocks failed; log: ${exp.logPath}`);
      const imp = await runBinary(['import-blocks', '--chain', spec, '--base-path', path.join(dir, 'db'), ...IMPORT_LOG, file], {
        name: 'net-import-blocks',
      });
      assert.equal(imp.code, 0, `import-blocks failed; log: ${imp.logPath}`);
      assert.match(imp.output, new RegExp(`Imported ${exportFrom.number} blocks`), `import-blocks; log: ${imp.logPath}`);
      const w = importWindow(imp.output);
      t.diagnostic(
        `import-blocks of the same ${exportFrom.number} blocks: ${w.rate.toFixed(0)} blocks/s (${w.blocks} blocks after the first in ${w.seconds.toFixed(3)} s)`,
      );
      fs.rmSync(dir, { recursive: true, force: true });
    },
  );
}

async function threeNodes(t, spec) {
  const [authorA, authorB] = await Promise.all([freshAccount(), freshAccount()]);
  const A = 0;
  const B = 1;
  const C = 2;
  const names = { [authorA.address]: 'A', [authorB.address]: 'B' };
  await withNet(
    t,
    {
      name: 'net',
      chainArgs: ['--chain', spec],
      members: [{ author: authorA.address }, { author: authorB.address }, {}],
    },
    async (net) => {
      await step(t, 'one chain: both miners author blocks on it, the finalized heads agree', async (st) => {
        const apiC = net.api(C);
        const authors = new Map(); // height -> author of the finalized block there (C's view)
        const fin = await waitUntil(
          async () => {
            const { finalized } = await net.heads(C);
            for (let n = authors.size + 1; n <= finalized.number; n++) {
              authors.set(n, authorOf(await headerOf(apiC, await apiC.rpc.chain.getBlockHash(n))));
            }
            const seen = [...authors.values()];
            const count = (a) => seen.filter((x) => x === a).length;
            return count(authorA.address) >= 2 && count(authorB.address) >= 2 && finalized;
          },
          120_000,
          'blocks of both miners on the finalized chain',
          500,
        );
        const counts = { A: 0, B: 0 };
        for (const [n, a] of authors) {
          assert.ok(names[a], `block #${n} has author ${a}, neither miner`);
          counts[names[a]] += 1;
        }
        st.diagnostic(`finalized #${fin.number}: ${counts.A} blocks by A, ${counts.B} by B`);
        // The block reward went to the author named in the digest.
        const first = [...authors].find(([, a]) => a === authorB.address)[0];
        const events = await (await apiC.at(await apiC.rpc.chain.getBlockHash(first))).query.system.events();
        const rewarded = events.filter(({ event }) => event.section === 'rewards' && event.method === 'Rewarded');
        assert.equal(rewarded.length, 1, `block #${first}: one rewards.Rewarded`);
        assert.equal(rewarded[0].event.data[0].toString(), authorB.address, `block #${first}: rewarded author`);
        // Finalized heads agree: every node has every node's finalized block at its height.
        const heads = await Promise.all([A, B, C].map((i) => net.heads(i)));
        for (const i of [A, B, C]) {
          for (const j of [A, B, C]) {
            assert.equal(
              await net.hashAt(j, heads[i].finalized.number),
              heads[i].finalized.hash,
              `node ${j} does not have node ${i}'s finalized #${heads[i].finalized.number}`,
            );
          }
        }
        st.diagnostic(`finalized: ${heads.map((h) => `#${h.finalized.number}`).join(', ')}; best: ${heads.map((h) => `#${h.best.number}`).join(', ')}`);
      });

      await step(t, 'a split shallower than the confirmation depth heals to the chain with more work', async (st) => {
        await splitAndHeal(st, net, { A, B, C });
      });

      await step(t, `kill -9 of a mining node during a transaction flood, ${KILLS} times`, async (st) => {
        await killUnderFlood(st, net, { A, B, C, authorB });
      });
    },
  );
}

/** Blocks of member i's best chain from `hash` back to (excluding) the first one C also has. */
async function forkBranch(net, i, hash, C) {
  const api = net.api(i);
  const branch = [];
  for (;;) {
    const header = await headerOf(api, hash);
    const n = header.number.toNumber();
    if ((await net.hashAt(C, n)) === header.hash.toHex()) return { ancestor: { number: n, hash: header.hash.toHex() }, branch };
    branch.push(header);
    hash = header.parentHash.toHex();
  }
}

async function splitAndHeal(t, net, { A, B, C }) {
  const [payer, recipient] = await Promise.all([devAccount('Alice//stash'), freshAccount()]);
  const apiA = net.api(A);
  const apiC = net.api(C);
  await net.partition([A], [B, C]);
  // A transfer to A only, immortal (a mortal one would name a block of A's side as its birth).
  const tx = apiA.tx.balances.transferKeepAlive(recipient.address, UNIT);
  const { blockHash } = await sendAndWaitInBlock(apiA, tx, payer, { era: 0 }, 60_000);
  const txHash = tx.hash.toHex();
  const inA = await headerOf(apiA, blockHash);
  t.diagnostic(`the transfer ${txHash} is in A's block #${inA.number} ${blockHash.toHex()}`);
  assert.notEqual(await net.hashAt(C, inA.number.toNumber()), blockHash.toHex(), "A's block reached B's side");

  // Hold A while B's side gets ahead in work, then heal right after A goes on. The lead is wide
  // because A mines on until the links are up again, which can take a few seconds (two peers
  // dialing each other at once back off for 5 s), and B's side mines as fast meanwhile.
  const pidA = net.node(A).child.pid;
  const aTip = (await net.heads(A)).best;
  process.kill(pidA, 'SIGSTOP');
  let bTip;
  try {
    bTip = await waitUntil(
      async () => {
        const { best } = await net.heads(C);
        return best.number >= aTip.number + LEAD && best;
      },
      60_000,
      `B's side to get ${LEAD} blocks ahead of A's #${aTip.number}`,
      250,
    );
  } finally {
    process.kill(pidA, 'SIGCONT');
  }
  const healedAt = Date.now();
  await net.heal({ wait: false });
  // The split, from the common ancestor: A's branch (as A was held) and B's side's.
  const aFork = await forkBranch(net, A, aTip.hash, C);
  const bBranch = [];
  for (let n = aFork.ancestor.number + 1; n <= bTip.number; n++) bBranch.push(await headerOf(apiC, await apiC.rpc.chain.getBlockHash(n)));
  const work = (hs) => hs.reduce((w, h) => w + difficultyOf(h), 0n);
  const [workA, workB] = [work(aFork.branch), work(bBranch)];
  t.diagnostic(
    `split from #${aFork.ancestor.number}: A's branch ${aFork.branch.length} blocks (work ${workA}), ` +
      `B's side ${bBranch.length} blocks to #${bTip.number} (work ${workB})`,
  );
  assert.ok(aFork.branch.length >= 1 && aFork.branch.length < DEPTH, `A's branch is ${aFork.branch.length} blocks, not shallower than ${DEPTH}`);
  assert.ok(workB > workA, 'B side has more work');

  // One chain: A follows B's side.
  await waitUntil(async () => (await net.hashAt(A, bTip.number)) === bTip.hash, 60_000, `A to reorganise onto B's #${bTip.number}`, 100);
  const healSeconds = (Date.now() - healedAt) / 1000;
  t.diagnostic(`heal: A on B's chain ${healSeconds.toFixed(2)} s after the links came back`);
  await net.waitForLinks();
  for (const i of [A, B, C]) {
    assert.notEqual(await net.hashAt(i, inA.number.toNumber()), blockHash.toHex(), `node ${i} still has A's abandoned block`);
  }

  // The transfer is included again, exactly once, on the final chain.
  const found = await waitUntil(
    async () => {
      const best = (await net.heads(C)).best.number;
      const hits = [];
      for (let n = aFork.ancestor.number + 1; n <= best; n++) {
        const block = await apiC.rpc.chain.getBlock(await apiC.rpc.chain.getBlockHash(n));
        for (const x of block.block.extrinsics) if (x.hash.toHex() === txHash) hits.push(n);
      }
      return hits.length > 0 && best >= hits[0] + 2 && { hits, best };
    },
    60_000,
    'the transfer to be included again',
    500,
  );
  t.diagnostic(`the transfer is included again in #${found.hits.join(', #')} (best #${found.best})`);
  assert.equal(found.hits.length, 1, `the transfer is in ${found.hits.length} blocks of the final chain`);
  for (const i of [A, B]) {
    const bh = await net.hashAt(i, found.hits[0]);
    assert.equal(bh, await net.hashAt(C, found.hits[0]), `node ${i} has another block at #${found.hits[0]}`);
  }
  const bestHash = await apiC.rpc.chain.getBlockHash(found.best);
  assert.equal(await freeAt(apiC, recipient.address, bestHash), UNIT, 'the recipient holds the amount once');
}

/**
 * Pre-signed transfers sent with author_submitExtrinsic, a few every 100 ms, from one sender per
 * lane to one node each; a lane whose node is down or refuses a nonce reads the nonce again.
 */
function startFlood(net, api, lanes, sink) {
  const options = {
    blockHash: api.genesisHash,
    genesisHash: api.genesisHash,
    runtimeVersion: api.runtimeVersion,
    signedExtensions: api.registry.signedExtensions,
  };
  let running = true;
  const stats = lanes.map(() => ({ accepted: 0, refused: 0, down: 0 }));
  const loops = lanes.map(async ({ member, signer }, k) => {
    let nonce = null;
    while (running) {
      try {
        if (!net.isUp(member)) {
          stats[k].down += 1;
          nonce = null;
        } else {
          nonce ??= parseInt(await net.rpc(member, 'system_accountNextIndex', [signer.address], { retryMs: 0 }), 10);
          for (let x = 0; x < 4; x++) {
            const hex = api.tx.balances.transferKeepAlive(sink, UNIT / 100n).sign(signer, { ...options, nonce }).toHex();
            await net.rpc(member, 'author_submitExtrinsic', [hex], { retryMs: 0 });
            nonce += 1;
            stats[k].accepted += 1;
          }
        }
      } catch {
        stats[k].refused += 1;
        nonce = null;
      }
      await sleep(100);
    }
  });
  return {
    stats,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return stats;
    },
  };
}

async function killUnderFlood(t, net, { A, B, C, authorB }) {
  const apiC = net.api(C);
  const [alice, bob, bobStash, sink] = await Promise.all([
    devAccount('Alice'),
    devAccount('Bob'),
    devAccount('Bob//stash'),
    freshAccount(),
  ]);
  const startHash = await apiC.rpc.chain.getBlockHash();
  const aliceNonce0 = await nonceAt(apiC, alice.address, startHash);
  const flood = startFlood(
    net,
    apiC,
    [
      { member: C, signer: alice },
      { member: A, signer: bob },
      { member: B, signer: bobStash },
    ],
    sink.address,
  );
  const rounds = [];
  try {
    for (let round = 1; round <= KILLS; round++) {
      await sleep(2_000);
      const before = await net.heads(B);
      assert.ok(before.finalized.number > 0, 'B has finalized a block');
      await net.kill(B);
      const checkStart = Date.now();
      const check = await net.checkBlock(B, before.finalized.hash);
      const checkSeconds = (Date.now() - checkStart) / 1000;
      assert.equal(check.code, 0, `check-block of #${before.finalized.number} on B's base path failed; log: ${check.logPath}\n${check.output.slice(-2000)}`);
      assert.ok(!check.output.includes('panicked at'), `check-block panicked; log: ${check.logPath}`);
      const others = (await net.heads(C)).best;

      const t0 = Date.now();
      await net.start(B, { connect: false });
      const ready = Date.now();
      const after = await net.heads(B);
      await waitUntil(async () => (await net.rpc(B, 'system_health')).peers >= 1, 60_000, 'B to have a peer', 50);
      const peered = Date.now();
      assert.equal(await net.hashAt(B, before.finalized.number), before.finalized.hash, `round ${round}: B lost finalized #${before.finalized.number}`);
      assert.ok(after.finalized.number >= before.finalized.number, `round ${round}: B's finalized went back to #${after.finalized.number}`);
      await waitUntil(async () => (await net.heads(B)).best.number > after.best.number, 60_000, 'a new block on B', 50);
      const firstBlock = Date.now();
      await waitUntil(async () => (await net.hashAt(B, others.number)) === others.hash, 60_000, `B to catch up with #${others.number}`, 100);
      const caughtUp = Date.now();
      // B mines again: a block of its own on top of where it restarted.
      const apiB = await net.node(B).connect();
      const own = await waitUntil(
        async () => {
          const best = (await headerOf(apiB)).number.toNumber();
          for (let n = after.best.number + 1; n <= best; n++) {
            const h = await headerOf(apiB, await apiB.rpc.chain.getBlockHash(n));
            if (authorOf(h) === authorB.address) return n;
          }
          return false;
        },
        90_000,
        'a block mined by B after its restart',
        500,
      );
      const ownBlock = Date.now();
      const r = {
        round,
        finalized: before.finalized.number,
        ready: (ready - t0) / 1000,
        peered: (peered - t0) / 1000,
        firstBlock: (firstBlock - t0) / 1000,
        caughtUp: (caughtUp - t0) / 1000,
        ownBlock: (ownBlock - t0) / 1000,
      };
      rounds.push(r);
      t.diagnostic(
        `kill ${round}: best #${before.best.number}, finalized #${r.finalized} kept (check-block ok, ${checkSeconds.toFixed(1)} s); after restart: RPC ${r.ready.toFixed(1)} s, a peer ${r.peered.toFixed(1)} s, ` +
          `first new block ${r.firstBlock.toFixed(1)} s, caught up with #${others.number} ${r.caughtUp.toFixed(1)} s, own block #${own} ${r.ownBlock.toFixed(1)} s`,
      );
    }
  } finally {
    const stats = await flood.stop();
    t.diagnostic(`flood: ${stats.map((s, k) => `lane ${k}: ${s.accepted} accepted, ${s.refused} refused, ${s.down} ticks down`).join('; ')}`);
  }
  flood.stats.forEach((s, k) => assert.ok(s.accepted > 0, `flood lane ${k} (to member ${[C, A, B][k]}) had no transfer accepted`));
  // Every node on one chain, the flood's transfers on it. The flood's first transfers land a few
  // blocks after it starts and need the confirmation depth on top to be final, which three quick
  // restarts may not have given them yet: wait for a finalized block, agreed by all, that holds
  // some.
  const end = await waitUntil(
    async () => {
      const heads = await Promise.all([A, B, C].map((i) => net.heads(i)));
      const fin = Math.min(...heads.map((h) => h.finalized.number));
      const hashes = await Promise.all([A, B, C].map((i) => net.hashAt(i, fin)));
      if (!hashes.every((h) => h === hashes[0])) return false;
      const aliceSent = (await nonceAt(apiC, alice.address, hashes[0])) - aliceNonce0;
      return aliceSent > 0 && { fin, aliceSent };
    },
    90_000,
    'the three nodes to agree on a finalized block that holds flood transfers',
    500,
  );
  t.diagnostic(`after ${KILLS} kills: finalized #${end.fin} agreed by all; ${end.aliceSent} of Alice's flood transfers final`);
  const avg = (k) => rounds.reduce((s, r) => s + r[k], 0) / rounds.length;
  t.diagnostic(`restart after kill -9 (mean of ${rounds.length}): RPC ${avg('ready').toFixed(1)} s, a peer ${avg('peered').toFixed(1)} s, first new block ${avg('firstBlock').toFixed(1)} s, own block ${avg('ownBlock').toFixed(1)} s; finalized blocks lost: 0`);
}
