// The deep-fork rule (node/src/deep_fork): a split heals by most work while the node mined at most
// `depth` blocks of its own; a deeper one is refused, reported (log once, `gpow_forkStatus`,
// Prometheus), the node keeps mining, and `gpow-node rejoin` makes it follow the heavier chain.
//
// Set-up, on a development chain spec with a short block time, confirmation depth D = 4 on every
// node:
// 1. node P mines a common prefix ending at block f, and stops;
// 2. A and B start from copies of P's database, apart: A mines past f + D + 1, B much further
//    (more work);
// 3. A's chain cut at f + D - 1, f + D and f + D + 1 (export-blocks / import-blocks) gives three
//    nodes whose split from B is just below, at and above the threshold;
// 4. each meets B (which mines on): the first two move to B's chain; the third keeps its own,
//    reports the heavier chain and keeps mining; after `rejoin` it follows B's chain.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { devSpecWith, waitUntil } from './lib/net.mjs';
import { scrapeMetrics } from './lib/metrics.mjs';
import { GpowNode, assertBinaryExists, freePorts, freshAccount, rpcHttp, runBinary, tmpDir, withTimeout } from './lib/node.mjs';

const D = 4;
const DEPTH_ARGS = ['--confirmation-depth', String(D)];
/** B's lead over A's longest cut, in blocks: B keeps more work while both mine on. */
const B_LEAD = 30;
/** The chain spec's id (the base path keeps the chain under `chains/<id>`). */
const CHAIN_ID = 'gpow_fork';

const until = (what, probe, timeoutMs = 60_000) => waitUntil(probe, timeoutMs, what, 250);

const header = (node) => rpcHttp(node.rpcPort, 'chain_getHeader');
const bestNumber = async (node) => parseInt((await header(node)).number, 16);
const hashAt = (node, n) => rpcHttp(node.rpcPort, 'chain_getBlockHash', [n]);
const finalizedNumber = async (node) =>
  parseInt((await rpcHttp(node.rpcPort, 'chain_getHeader', [await rpcHttp(node.rpcPort, 'chain_getFinalizedHead')])).number, 16);
const forkStatus = (node) => rpcHttp(node.rpcPort, 'gpow_forkStatus');

async function p2pAddress(node) {
  const peerId = await rpcHttp(node.rpcPort, 'system_localPeerId');
  return `/ip4/127.0.0.1/tcp/${node.p2pPort}/p2p/${peerId}`;
}

/** A copy of a stopped node's base path, without its network key (each node needs its own). */
function copyBasePath(from, name) {
  const to = tmpDir(name);
  fs.cpSync(from, to, { recursive: true });
  fs.rmSync(path.join(to, 'chains', CHAIN_ID, 'network'), { recursive: true, force: true });
  return to;
}

let chainArgs;

/**
 * Starts a node on `chainArgs`; `peers` are reserved peers, the only ones with `reservedOnly`
 * (which also refuses every other inbound connection).
 */
async function startNode(t, name, basePath, { mine = false, peers = [], reservedOnly = false, prometheusPort = null } = {}) {
  const [p2pPort] = await freePorts(1);
  const node = await GpowNode.start({
    name,
    chainArgs,
    basePath,
    p2pPort,
    listenAddr: `/ip4/127.0.0.1/tcp/${p2pPort}`,
    author: mine ? (await freshAccount()).address : null,
    prometheusPort,
    extraArgs: [
      ...DEPTH_ARGS,
      mine ? '--mine' : '--no-mine',
      ...(peers.length ? ['--reserved-nodes', ...peers] : []),
      ...(reservedOnly ? ['--reserved-only'] : []),
    ],
  });
  t.diagnostic(`${name} log: ${node.logPath}`);
  await node.waitForRpc();
  return node;
}

/** Mines on a node until its best block reaches `number`, then stops it cleanly. */
async function mineTo(node, number) {
  await until(`${node.name} to mine #${number}`, async () => (await bestNumber(node)) >= number, 180_000);
  await node.stopAndCheck();
}

async function cli(args, name) {
  const res = await runBinary(args, { name, timeoutMs: 180_000 });
  assert.equal(res.code, 0, `${args[0]} failed (code ${res.code}); log: ${res.logPath}\n${res.output.slice(-2000)}`);
  return res;
}

test('deep forks: heal below and at the confirmation depth, refused and reported above it, rejoin', { timeout: 600_000 }, async (t) => {
  assertBinaryExists();
  // About three blocks a second: the scenario needs dozens of blocks.
  chainArgs = ['--chain', await devSpecWith({ targetBlockTime: 300, initialDifficulty: 1000, id: CHAIN_ID })];
  const nodes = [];
  const track = (node) => (nodes.push(node), node);
  try {
    // 1. The common prefix.
    const prefixPath = tmpDir('fork-prefix');
    const p = track(await startNode(t, 'prefix', prefixPath, { mine: true }));
    await mineTo(p, 2);
    const info = await cli(['chain-info', ...chainArgs, '--base-path', prefixPath], 'prefix-info');
    const f = JSON.parse(info.stdout).best_number;
    assert.ok(Number.isInteger(f) && f >= 2, `chain-info gives the prefix's best number: ${info.stdout}`);

    // 2. A and B mine apart from copies of the prefix.
    const aPath = copyBasePath(prefixPath, 'fork-a');
    const bPath = copyBasePath(prefixPath, 'fork-b');
    const a = track(await startNode(t, 'miner-a', aPath, { mine: true }));
    const b = track(await startNode(t, 'miner-b', bPath, { mine: true }));
    const forkHash = await hashAt(a, f);
    assert.equal(forkHash, await hashAt(b, f), 'A and B share the prefix');
    await Promise.all([mineTo(a, f + D + 1), mineTo(b, f + D + 1 + B_LEAD)]);

    // 3. A's chain cut just below, at and above the threshold.
    const cuts = [D - 1, D, D + 1];
    const cutPaths = [];
    for (const k of cuts) {
      const dir = tmpDir(`fork-cut-${k}`);
      const file = path.join(dir, 'blocks.json');
      await cli(['export-blocks', ...chainArgs, '--base-path', aPath, '--from', '1', '--to', String(f + k), file], `export-cut-${k}`);
      await cli(['import-blocks', ...chainArgs, '--base-path', path.join(dir, 'node'), file], `import-cut-${k}`);
      cutPaths.push(path.join(dir, 'node'));
    }

    // 4. B mines on; each cut meets it.
    const server = track(await startNode(t, 'server-b', bPath, { mine: true }));
    const bBest = await header(server);
    const bBestHash = await hashAt(server, parseInt(bBest.number, 16));
    const serverAddr = await p2pAddress(server);
    const [promPort] = await freePorts(1);
    const [below, at, above] = await Promise.all([
      startNode(t, 'split-below', cutPaths[0], { peers: [serverAddr] }),
      startNode(t, 'split-at', cutPaths[1], { peers: [serverAddr] }),
      // Only B: a node on B's chain that saw this one's blocks would refuse it after `rejoin`.
      startNode(t, 'split-above', cutPaths[2], { mine: true, peers: [serverAddr], reservedOnly: true, prometheusPort: promPort }),
    ]);
    [below, at, above].forEach(track);

    await t.test(`a split of ${D - 1} and of ${D} blocks heals to the chain with more work`, async () => {
      for (const node of [below, at]) {
        const t0 = Date.now();
        await until(`${node.name} to reach B's chain`, async () => (await hashAt(node, parseInt(bBest.number, 16))) === bBestHash);
        t.diagnostic(`${node.name}: on B's chain ${((Date.now() - t0) / 1000).toFixed(1)} s after start`);
        assert.equal(await hashAt(node, f), forkHash, 'the common prefix stays');
        assert.equal(await hashAt(node, f + 1), await hashAt(server, f + 1), "block f+1 is now B's");
        const status = await forkStatus(node);
        assert.equal(status.confirmationDepth, D);
        assert.equal(status.deepFork, null, 'no deep fork after a shallow split');
      }
    });

    await t.test(`a split of ${D + 1} blocks is refused, reported once and the node keeps mining`, async () => {
      const ownBlock = await hashAt(above, f + 1);
      const status = await until('gpow_forkStatus to report the conflicting chain', async () => {
        const s = await forkStatus(above);
        return s.deepFork ? s : null;
      });
      const fork = status.deepFork;
      assert.deepEqual(fork.forkPoint, { number: f, hash: forkHash }, 'the fork point is the end of the prefix');
      assert.ok(fork.theirTip.number >= parseInt(bBest.number, 16), "their tip is B's best block or a later one");
      assert.equal(await hashAt(server, fork.theirTip.number), fork.theirTip.hash, "their tip is on B's chain");
      assert.equal(fork.heavier, BigInt(fork.theirWork) > BigInt(fork.ourWork), 'heavier compares the works');
      assert.ok(fork.heavier, 'B keeps the heavier chain');
      assert.ok(fork.ourBlocksSinceFork >= D + 1);
      assert.match(fork.recovery, /^gpow-node rejoin --chain \S+ --base-path /);
      assert.ok(status.refusedBlocks >= 1, 'the conflicting blocks were refused');
      assert.ok(status.finalized.number >= f + 1, 'the own block above the fork point stays finalized');
      assert.equal(await hashAt(above, f + 1), ownBlock, 'the node keeps its own chain');

      const metric = await scrapeMetrics(promPort);
      assert.equal(metric('gpow_deep_fork_heavier'), 1);
      assert.equal(metric('gpow_deep_fork_events_total'), 1);
      assert.ok(metric('gpow_deep_fork_depth') >= D + 1);
      assert.ok(metric('gpow_deep_fork_refused_blocks_total') >= 1);

      // Mining goes on while sync sees a chain it refuses.
      const from = await bestNumber(above);
      await until('the node to mine on', async () => (await bestNumber(above)) >= from + 3, 60_000);
      const errors = above.log.split('\n').filter((line) => line.includes('💥 Deep fork:'));
      assert.equal(errors.length, 1, `one error line per fork point, got:\n${errors.join('\n')}`);
      assert.match(errors[0], new RegExp(`forks off at #${f} `));
    });

    await t.test('rejoin removes the pruned chain and the node then follows the heavier chain', async () => {
      await above.stopAndCheck();
      const res = await cli(['rejoin', ...chainArgs, '--base-path', cutPaths[2]], 'rejoin');
      assert.match(res.stdout, /its chain database is removed/);
      const again = await cli(['rejoin', ...chainArgs, '--base-path', cutPaths[2]], 'rejoin-again');
      assert.match(again.stdout, /No deep fork is recorded/);
      // `at` follows B's chain and never saw this node's own blocks (B did and dropped this node).
      const target = await bestNumber(at);
      const rejoined = track(await startNode(t, 'rejoined', cutPaths[2], { peers: [await p2pAddress(at)], reservedOnly: true }));
      await until("the rejoined node to reach B's chain", async () => (await hashAt(rejoined, target)) === (await hashAt(server, target)));
      assert.equal(await hashAt(rejoined, f + 1), await hashAt(server, f + 1), "block f+1 is B's");
      assert.equal((await forkStatus(rejoined)).deepFork, null);
      // During the initial sync finality moves in steps of 64 blocks; the rest follows the first
      // block mined after it.
      await until('the rejoined node to finalize on B\'s chain', async () => (await finalizedNumber(rejoined)) >= target - D);
    });
  } finally {
    await Promise.all(nodes.map((node) => withTimeout(node.stopAndCheck(), 30_000, `${node.name} to stop`).catch((e) => t.diagnostic(String(e)))));
  }
});
