// Transfer: a signed balances.transferKeepAlive from //Alice to a fresh account is included, moves
// exactly `amount`, charges exactly the fee reported by TransactionFeePaid, the fee matches
// payment_queryInfo, and Alice's nonce advances by one.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { devAccount, freshAccount, rpcHttp, waitForBlock, withNode } from './lib/node.mjs';
import {
  eventNames,
  eventsAt,
  extrinsicEvents,
  field,
  freeAt,
  nonceAt,
  sendAndWaitInBlock,
} from './lib/chain.mjs';

test('transfer: transferKeepAlive from Alice to a fresh account', async (t) => {
  const author = await freshAccount();
  const alice = await devAccount('Alice');
  const dest = await freshAccount();
  await withNode(t, { author: author.address }, async (node, step) => {
    const { api } = node;
    await waitForBlock(api, 1, 240_000);

    const decimals = 10n ** 12n;
    const ed = api.consts.balances.existentialDeposit.toBigInt();
    const amount = 3n * decimals > 10n * ed ? 3n * decimals : 10n * ed;

    const nextIndexBefore = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
    const tx = api.tx.balances.transferKeepAlive(dest.address, amount);
    // Estimate before signing (polkadot.js signs with a fake signature of the same length).
    const estimateAt = (await api.rpc.chain.getHeader()).hash;
    const estimate = await tx.paymentInfo(alice); // runtime API TransactionPaymentApi_query_info at best

    const { blockHash } = await sendAndWaitInBlock(api, tx, alice);
    const block = await api.rpc.chain.getBlock(blockHash);
    const parentHash = block.block.header.parentHash;
    const number = block.block.header.number.toNumber();
    t.diagnostic(`transfer ${tx.hash.toHex()} included in #${number} ${blockHash.toHex()}`);
    const index = block.block.extrinsics.findIndex((x) => x.hash.eq(tx.hash));
    assert.ok(index >= 0, 'the transfer is not among the extrinsics of the block reported by inBlock');

    const events = await eventsAt(api, blockHash);
    const own = extrinsicEvents(events, index);
    const feeEvent = own.find(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event));
    assert.ok(feeEvent, `no transactionPayment.TransactionFeePaid for the transfer; its events: ${eventNames(own)}`);
    const actualFee = field(feeEvent.event, 'actualFee', 1).toBigInt();
    const tip = field(feeEvent.event, 'tip', 2).toBigInt();
    t.diagnostic(`amount=${amount} actualFee=${actualFee} tip=${tip} estimate=${estimate.partialFee}`);

    await step('events: ExtrinsicSuccess, Transfer and TransactionFeePaid by Alice', async () => {
      assert.ok(
        own.some(({ event }) => api.events.system.ExtrinsicSuccess.is(event)),
        `no system.ExtrinsicSuccess; events: ${eventNames(own)}`,
      );
      const transfer = own.find(({ event }) => api.events.balances.Transfer.is(event));
      assert.ok(transfer, `no balances.Transfer; events: ${eventNames(own)}`);
      assert.equal(field(transfer.event, 'from', 0).toString(), alice.address);
      assert.equal(field(transfer.event, 'to', 1).toString(), dest.address);
      assert.equal(field(transfer.event, 'amount', 2).toBigInt(), amount);
      assert.equal(field(feeEvent.event, 'who', 0).toString(), alice.address);
      assert.equal(tip, 0n, 'no tip was given');
      assert.ok(actualFee > 0n, 'the fee must be > 0');
    });

    await step('the fresh account holds exactly the amount', async () => {
      assert.equal(await freeAt(api, dest.address, parentHash), 0n, 'fresh account must be empty before');
      assert.equal(await freeAt(api, dest.address, blockHash), amount);
    });

    await step("Alice's balance fell by amount + actual fee", async () => {
      const before = await freeAt(api, alice.address, parentHash);
      const after = await freeAt(api, alice.address, blockHash);
      // TransactionFeePaid.actual_fee already includes the tip (pallet-transaction-payment computes
      // it with compute_actual_fee(len, info, post_info, tip)); the tip is 0 here anyway.
      assert.equal(
        after - before,
        -(amount + actualFee),
        `Alice: ${before} -> ${after} (delta ${after - before}), expected -(amount ${amount} + fee ${actualFee})`,
      );
    });

    await step('payment_queryInfo / queryFeeDetails give the fee actually charged', async () => {
      // Exact check: the signed extrinsic as it was included, queried at the parent of its block.
      // That is the state in which the fee was computed (same length, weight and fee multiplier).
      // Raw JSON-RPC: @polkadot/api 16 decodes payment_queryInfo's result as the legacy
      // RuntimeDispatchInfoV1 (u64 weight) and fails on the node's Weight V2 `weight` field, so the
      // JSON is read directly. Balances come as decimal or hex strings (NumberOrHex).
      const info = await rpcHttp(node.rpcPort, 'payment_queryInfo', [tx.toHex(), parentHash.toHex()]);
      assert.equal(
        BigInt(info.partialFee),
        actualFee,
        `payment_queryInfo(signed tx, parent) partialFee ${info.partialFee} != charged ${actualFee}: ${JSON.stringify(info)}`,
      );
      assert.equal(info.class, 'normal', `payment_queryInfo class: ${JSON.stringify(info)}`);
      const details = await rpcHttp(node.rpcPort, 'payment_queryFeeDetails', [tx.toHex(), parentHash.toHex()]);
      const inc = details.inclusionFee;
      assert.ok(inc, `payment_queryFeeDetails: no inclusionFee for a signed extrinsic: ${JSON.stringify(details)}`);
      const sum = BigInt(inc.baseFee) + BigInt(inc.lenFee) + BigInt(inc.adjustedWeightFee);
      assert.equal(sum, actualFee, `queryFeeDetails: base+len+adjustedWeight = ${sum} != charged ${actualFee}`);

      // The estimate made before signing (tx.paymentInfo) may legitimately differ from the charged
      // fee only if the fee multiplier changed between the block it was made at and the parent of
      // the inclusion block (polkadot.js's fake signature has the same length as the real one).
      const multAt = async (h) => (await (await api.at(h)).query.transactionPayment.nextFeeMultiplier()).toBigInt();
      const estimateNumber = (await api.rpc.chain.getHeader(estimateAt)).number.toNumber();
      const multipliers = new Set();
      // Every block from the one the estimate was (about to be) made at to the inclusion block's
      // parent: if the multiplier was the same in all of them, the estimate must be exact.
      for (let h = parentHash, n = number - 1; n >= estimateNumber; n--) {
        multipliers.add(await multAt(h));
        h = (await api.rpc.chain.getHeader(h)).parentHash;
      }
      multipliers.add(await multAt(estimateAt));
      if (multipliers.size === 1) {
        assert.equal(
          estimate.partialFee.toBigInt(),
          actualFee,
          `tx.paymentInfo estimate ${estimate.partialFee} != charged ${actualFee} (fee multiplier unchanged: ${[...multipliers]})`,
        );
      } else {
        t.diagnostic(`fee multiplier changed (${[...multipliers]}); estimate ${estimate.partialFee} not compared exactly`);
      }
    });

    await step('system_accountNextIndex and the account nonce advanced by 1', async () => {
      assert.equal(await nonceAt(api, alice.address, parentHash), nextIndexBefore);
      assert.equal(await nonceAt(api, alice.address, blockHash), nextIndexBefore + 1);
      const nextIndexAfter = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
      assert.equal(nextIndexAfter, nextIndexBefore + 1, 'system_accountNextIndex after inclusion');
    });
  });
});
