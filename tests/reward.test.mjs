// Reward: the --author account is credited blockReward plus the fees paid in every block it
// authored, and each such block emits rewards.Rewarded { author, amount }.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { devAccount, freshAccount, waitForBlock, withNode } from './lib/node.mjs';
import { eventNames, eventsAt, feesPaid, field, freeAt, sendAndWaitInBlock } from './lib/chain.mjs';

async function checkBlock(t, api, author, blockReward, blockHash) {
  const header = await api.rpc.chain.getHeader(blockHash);
  const events = await eventsAt(api, blockHash);
  const fees = feesPaid(api, events);
  const before = await freeAt(api, author.address, header.parentHash);
  const after = await freeAt(api, author.address, blockHash);
  t.diagnostic(
    `block #${header.number}: author ${before} -> ${after} (delta ${after - before}), reward ${blockReward}, fees ${fees}`,
  );

  const rewarded = events.filter(({ event }) => api.events.rewards.Rewarded.is(event));
  assert.equal(rewarded.length, 1, `block #${header.number}: expected one rewards.Rewarded, events: ${eventNames(events)}`);
  const ev = rewarded[0].event;
  assert.equal(field(ev, 'author', 0).toString(), author.address, `block #${header.number}: Rewarded.author`);
  assert.equal(field(ev, 'amount', 1).toBigInt(), blockReward, `block #${header.number}: Rewarded.amount`);

  assert.equal(
    after - before,
    blockReward + fees,
    `block #${header.number}: the author's balance changed by ${after - before}, expected blockReward ${blockReward} + fees ${fees}`,
  );
  return fees;
}

test('reward: the author gets blockReward + fees per block', async (t) => {
  const author = await freshAccount();
  const alice = await devAccount('Alice');
  const dest = await freshAccount();
  await withNode(t, { author: author.address }, async (node, step) => {
    const { api } = node;
    // Governed (pallet-parameters): the value in effect, from the governance runtime API.
    const parameters = await api.call.governanceApi.parameters();
    const blockReward = parameters.find((p) => p.name.toUtf8() === 'rewards.BlockReward').value.toBigInt();
    t.diagnostic(`blockReward = ${blockReward}`);

    await step('blockReward is positive', async () => {
      assert.ok(blockReward > 0n, `blockReward = ${blockReward}`);
    });

    await step('a block without transactions: delta == blockReward', async () => {
      const head = await waitForBlock(api, 3, 240_000);
      // #2 and #3 were mined with no signed extrinsic submitted.
      let h = head;
      while (h.number.toNumber() > 2) h = await api.rpc.chain.getHeader(h.parentHash);
      const fees = await checkBlock(t, api, author, blockReward, h.hash);
      assert.equal(fees, 0n, 'no fees expected in a block without signed extrinsics');
    });

    await step('the very first block credits the fresh author from zero', async () => {
      const hash1 = await api.rpc.chain.getBlockHash(1);
      const header1 = await api.rpc.chain.getHeader(hash1);
      assert.equal(await freeAt(api, author.address, header1.parentHash), 0n, 'author must be empty at genesis');
      await checkBlock(t, api, author, blockReward, hash1);
    });

    await step('a block with a tipped transfer: delta == blockReward + fees (tip included)', async () => {
      const ed = api.consts.balances.existentialDeposit.toBigInt();
      const amount = 10n ** 12n > 10n * ed ? 10n ** 12n : 10n * ed;
      const tip = 1_000_000n;
      const tx = api.tx.balances.transferKeepAlive(dest.address, amount);
      const { blockHash } = await sendAndWaitInBlock(api, tx, alice, { tip });
      const fees = await checkBlock(t, api, author, blockReward, blockHash);
      assert.ok(fees > tip, `fees in the block (${fees}) must include the tip (${tip}) and be larger`);
    });
  });
});
