// Difficulty: the DifficultyApi runtime API agrees with the difficulty pallet's storage, and every
// mined block's seal claims exactly the difficulty the runtime required at its parent, with work
// that really meets it.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { freshAccount, waitForBlock, withNode } from './lib/node.mjs';
import { headerParts, meetsDifficulty, sealOfParts, workOf } from './lib/seal.mjs';

/** DifficultyApi_difficulty at a block, through api.call on a decorated-at-block API. */
async function runtimeDifficulty(api, blockHash) {
  const apiAt = await api.at(blockHash);
  return (await apiAt.call.difficultyApi.difficulty()).toBigInt();
}

test('difficulty: runtime API, storage and seals agree', async (t) => {
  const author = await freshAccount();
  await withNode(t, { author: author.address }, async (node, step) => {
    const { api } = node;
    // Block #4: its ancestors #1..#3 all have a non-genesis parent except #1.
    const best = await waitForBlock(api, 4, 240_000);
    const bestHash = best.hash;

    await step('DifficultyApi_difficulty > 0 and == difficulty.currentDifficulty at the same block', async () => {
      for (const hash of [bestHash, best.parentHash]) {
        const apiAt = await api.at(hash);
        const fromApi = (await apiAt.call.difficultyApi.difficulty()).toBigInt();
        const fromStorage = (await apiAt.query.difficulty.currentDifficulty()).toBigInt();
        t.diagnostic(`at ${hash.toHex()}: DifficultyApi=${fromApi} currentDifficulty=${fromStorage}`);
        assert.ok(fromApi > 0n, `difficulty must be > 0, got ${fromApi}`);
        assert.equal(fromApi, fromStorage, `runtime API and storage disagree at ${hash.toHex()}`);
      }
      // The same through a plain state_call at the best block (decoded by hand as U256 LE).
      const raw = await api.rpc.state.call('DifficultyApi_difficulty', '0x', bestHash);
      assert.equal(raw.length, 32, `DifficultyApi_difficulty returned ${raw.length} bytes, expected 32 (U256)`);
      const viaStateCall = api.registry.createType('U256', raw).toBigInt();
      assert.equal(viaStateCall, await runtimeDifficulty(api, bestHash));
      const target = (await (await api.at(bestHash)).query.difficulty.targetBlockTime()).toBigInt();
      t.diagnostic(`targetBlockTime = ${target} ms`);
      assert.ok(target > 0n, `targetBlockTime must be > 0, got ${target}`);
    });

    await step('seals of recent blocks claim the runtime difficulty at their parent and meet it', async () => {
      let header = best;
      for (let i = 0; i < 3; i++) {
        const seal = sealOfParts(headerParts(header));
        const expected = await runtimeDifficulty(api, header.parentHash);
        t.diagnostic(`block #${header.number}: seal difficulty=${seal.difficulty} nonce=${seal.nonce}; runtime at parent=${expected}`);
        assert.equal(
          seal.difficulty,
          expected,
          `block #${header.number} (${header.hash.toHex()}) claims difficulty ${seal.difficulty}, the runtime at its parent requires ${expected}`,
        );
        const work = workOf(seal.preHash, seal.nonce);
        assert.ok(
          meetsDifficulty(work, seal.difficulty),
          `block #${header.number}: work ${work.toString(16)} does not meet difficulty ${seal.difficulty} (pre-hash computed by the test)`,
        );
        header = await api.rpc.chain.getHeader(header.parentHash);
      }
    });
  });
});
