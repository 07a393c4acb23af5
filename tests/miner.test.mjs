// External mining: node A runs with --no-mine --author (it builds templates but does not hash),
// gpow-miner mines on it through mining_subscribeWork / mining_submitWork, node B (a plain sync
// node) imports the blocks, and mining_shares counts the worker's shares and blocks. A probe
// worker then submits through the raw methods: a share and the same nonce again (Duplicate),
// work below the share difficulty (LowWork), a malformed nonce (BadNonce), a nonce of another
// worker's range (OutOfRange), a job that is no longer current (Stale), a job never issued
// (UnknownJob), and a worker that never asked for work (UnknownWorker). gpow-miner exits with 2
// and the named error against a node that builds no templates (a bad URL or a closed port:
// miner/tests/cli.rs).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { authorOf, waitUntil } from './lib/net.mjs';
import { MINING_ERRORS, findNonce, miningCall, runMiner, startMiner } from './lib/miner.mjs';
import { GpowNode, freshAccount, rpcHttp, tmpDir } from './lib/node.mjs';

const BLOCKS = 3;

/** The worker's counts from mining_shares. */
async function sharesOf(port, worker) {
  const { result, error } = await miningCall(port, 'shares');
  assert.equal(error, undefined, JSON.stringify(error));
  return result.find((w) => w.worker === worker);
}

/** Submits on behalf of `worker`; retries with new work while the answer is Stale. */
async function submitFresh(port, worker, pick) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const { result: job } = await miningCall(port, 'getWork', [worker]);
    if (!job) continue;
    const nonce = pick(job);
    if (nonce === null) continue;
    const answer = await miningCall(port, 'submitWork', [job.jobId, nonce.toString(), worker]);
    if (answer.error?.code !== MINING_ERRORS.Stale) return { job, nonce, answer };
  }
  throw new Error(`no submission of ${worker} reached a current job in 20 attempts`);
}

test('gpow-miner mines on a --no-mine node, a second node imports the blocks, shares are counted', async (t) => {
  const dir = tmpDir('miner');
  const author = (await freshAccount()).address;
  const a = await GpowNode.start({ name: 'miner-A', author, miningThreads: null, extraArgs: ['--no-mine'] });
  t.diagnostic(`node A log: ${a.logPath}`);
  let b = null;
  let miner = null;
  try {
    await a.waitForRpc();
    await a.waitForLog(/Serving work to external miners/, 30_000);
    const peerId = await rpcHttp(a.rpcPort, 'system_localPeerId');
    b = await GpowNode.start({
      name: 'miner-B',
      miningThreads: null,
      extraArgs: ['--no-mine', '--bootnodes', `/ip4/127.0.0.1/tcp/${a.p2pPort}/p2p/${peerId}`],
    });
    t.diagnostic(`node B log: ${b.logPath}`);

    await t.test('gpow-miner against a node that builds no templates: NotMining, exit 2', async () => {
      await b.waitForRpc();
      const sync = await runMiner(['--url', b.wsUrl], `${dir}/sync-node.log`);
      assert.equal(sync.code, 2, sync.log);
      assert.match(sync.log, /refused to give work: NotMining \(9200\)/);
    });

    miner = startMiner(['--url', a.wsUrl, '--threads', '1', '--worker', 'rig1', '--report-every', '2'], `${dir}/gpow-miner.log`);
    t.diagnostic(`gpow-miner log: ${miner.logPath}`);

    await t.test(`gpow-miner mines ${BLOCKS} blocks that node B imports`, async () => {
      const apiB = await b.connect();
      await waitUntil(async () => (await apiB.rpc.chain.getHeader()).number.toNumber() >= BLOCKS, 120_000, `node B at #${BLOCKS}`, 500);
      for (let n = 1; n <= BLOCKS; n++) {
        const header = await apiB.rpc.chain.getHeader(await apiB.rpc.chain.getBlockHash(n));
        assert.equal(authorOf(header), author, `block #${n} on node B names A's author`);
      }
      assert.match(miner.log, /✅ Block #\d+ sealed/);
      // The first hashrate line comes 2 s (--report-every) after the start.
      await waitUntil(() => /Hashrate: \d+ H\/s/.test(miner.log), 15_000, 'a hashrate line from gpow-miner');
    });

    await t.test('mining_shares counts the worker\'s shares and blocks', async () => {
      const rig = await sharesOf(a.rpcPort, 'rig1');
      assert.ok(rig, 'rig1 is in mining_shares');
      assert.ok(rig.blocks >= BLOCKS, `blocks: ${JSON.stringify(rig)}`);
      assert.ok(rig.shares > rig.blocks, `shares: ${JSON.stringify(rig)}`);
      assert.equal(rig.invalid, 0, JSON.stringify(rig));
      assert.equal(rig.nonceStart, '0');
    });

    await t.test('a share, then the same nonce again: Duplicate', async () => {
      const { job, nonce, answer } = await submitFresh(a.rpcPort, 'probe', (j) => findNonce(j, { budgetMs: 700 }));
      assert.equal(answer.error, undefined, JSON.stringify(answer.error));
      assert.ok(['share', 'block'].includes(answer.result.status), JSON.stringify(answer.result));
      assert.equal(answer.result.jobId, job.jobId);
      const again = await miningCall(a.rpcPort, 'submitWork', [job.jobId, nonce.toString(), 'probe']);
      assert.equal(again.error?.code, MINING_ERRORS.Duplicate, JSON.stringify(again));
      assert.equal(again.error.message, 'Duplicate');
    });

    await t.test('work below the share difficulty, a malformed nonce, another worker\'s range: named errors', async () => {
      const low = await submitFresh(a.rpcPort, 'probe', (j) => findNonce(j, { meets: false }));
      assert.equal(low.answer.error?.code, MINING_ERRORS.LowWork, JSON.stringify(low.answer));
      const malformed = await submitFresh(a.rpcPort, 'probe', () => 'abc');
      assert.equal(malformed.answer.error?.code, MINING_ERRORS.BadNonce, JSON.stringify(malformed.answer));
      // Nonce 0 is in rig1's range (the first slot).
      const foreign = await submitFresh(a.rpcPort, 'probe', () => 0n);
      assert.equal(foreign.answer.error?.code, MINING_ERRORS.OutOfRange, JSON.stringify(foreign.answer));
      assert.equal(foreign.answer.error.message, 'OutOfRange');
    });

    await t.test('a job that is no longer current: Stale; a job never issued: UnknownJob; an unknown worker', async () => {
      const { result: old } = await miningCall(a.rpcPort, 'getWork', ['probe']);
      await waitUntil(async () => (await miningCall(a.rpcPort, 'getWork', ['probe'])).result?.jobId > old.jobId, 30_000, 'a new job');
      const stale = await miningCall(a.rpcPort, 'submitWork', [old.jobId, old.nonceStart, 'probe']);
      assert.equal(stale.error?.code, MINING_ERRORS.Stale, JSON.stringify(stale));
      assert.equal(stale.error.message, 'Stale');
      const unknown = await miningCall(a.rpcPort, 'submitWork', [1, '1', 'probe']);
      assert.equal(unknown.error?.code, MINING_ERRORS.UnknownJob, JSON.stringify(unknown));
      const stranger = await miningCall(a.rpcPort, 'submitWork', [old.jobId, '1', 'stranger']);
      assert.equal(stranger.error?.code, MINING_ERRORS.UnknownWorker, JSON.stringify(stranger));
      const badName = await miningCall(a.rpcPort, 'getWork', ['no spaces']);
      assert.equal(badName.error?.code, MINING_ERRORS.BadWorker, JSON.stringify(badName));
    });

    await t.test('mining_shares counts the probe\'s refusals by kind', async () => {
      const probe = await sharesOf(a.rpcPort, 'probe');
      assert.ok(probe.shares >= 1 && probe.duplicates >= 1 && probe.stale >= 1, JSON.stringify(probe));
      // LowWork, BadNonce, OutOfRange, UnknownJob.
      assert.ok(probe.invalid >= 4, JSON.stringify(probe));
    });

    await t.test('gpow-miner stops on SIGINT with its tally', async () => {
      miner.child.kill('SIGINT');
      const exit = await miner.exited;
      assert.deepEqual(exit, { code: 0, signal: null }, miner.log);
      assert.match(miner.log, /stopped; shares \d+ blocks \d+/);
      miner = null;
    });
  } finally {
    if (miner) {
      miner.child.kill('SIGKILL');
      await miner.exited;
    }
    await Promise.all([a.stopAndCheck(), b?.stopAndCheck()]);
  }
});
