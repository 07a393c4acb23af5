// Work as payment (issue 12): transactions paid by proof of work instead of a fee.
//
// On a fast development chain (0.4 s blocks): an account that never held a balance gets an allowed
// call included by work (no fee event, balance untouched); the same call without a seal is refused;
// a replayed proof, a proof for another call, signer or anchor, a future and a stale anchor, a proof
// short of the required effort, a tip and a call off the allow-list are each refused with their own
// code; the work_* JSON-RPC refuses forged and expired tokens, oversized and malformed submissions,
// credits no work done for another request, refuses calls it cannot price, and carries the seed's
// broker flow (request, shares, result) to an included transaction; a work-paid transaction ranks
// below the same one paying its fee; a flood of work-paid transactions raises the multiplier, never takes more than its
// share of a block, does not delay a fee-paying transfer, and the multiplier falls back.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { u8aConcat, u8aToHex } from '@polkadot/util';

import { eventNames, eventsAt, extrinsicEvents, freeAt, nonceAt, sendAndWaitInBlock } from './lib/chain.mjs';
import { devSpecWith, waitUntil } from './lib/net.mjs';
import { devAccount, freshAccount, rpcHttp, waitForBlock, withNode } from './lib/node.mjs';
import { effortOf, mine, preImageOf, withWork, workRequest, workUntilDone } from './lib/work.mjs';

/** Custom refusal codes of pallet-work-payment (gpow-primitives-work `WorkRefusal`). */
const CODE = {
  TooLong: 64,
  CallNotAllowed: 65,
  TipWithWork: 66,
  AnchorInFuture: 67,
  AnchorStale: 68,
  InsufficientWork: 69,
  ProofUsed: 70,
};
const ONE = 10n ** 18n; // FixedU128 one
const ANCHOR_WINDOW = 64;
const MAX_WORK_PER_BLOCK = 64;

/** Signs `tx` as `signer` and submits it; resolves with the pool's error message ('' if accepted). */
async function submitError(api, tx, signer, options = {}) {
  const signed = await tx.signAsync(signer, { nonce: 0, tip: 0, ...options });
  try {
    await api.rpc.author.submitExtrinsic(signed.toHex());
    return '';
  } catch (e) {
    return e.message;
  }
}

async function assertRefused(api, tx, signer, code, options = {}) {
  const message = await submitError(api, tx, signer, options);
  assert.match(message, new RegExp(`Custom error: ${code}\\b`), `expected refusal ${code}, got: ${message || 'accepted'}`);
}

async function rpcError(promise) {
  try {
    await promise;
  } catch (e) {
    if (e.rpc) return e.rpc;
    throw e;
  }
  assert.fail('the call was not refused');
}

test('work as payment: paid by work, refusals, the work API and a flood', { timeout: 600_000 }, async (t) => {
  const spec = await devSpecWith({ targetBlockTime: 400, initialDifficulty: 1_000_000, id: 'gpow_work' });
  const author = await freshAccount();
  await withNode(t, { author: author.address, chainArgs: ['--chain', spec], extraArgs: ['--mine'] }, async (node, step) => {
    const { api } = node;
    await waitForBlock(api, 3, 120_000);
    const remark = (text) => api.tx.system.remark(text);
    /** A work-paid `call` from `signer` at `nonce`, its work `factor` times the required effort. */
    async function paid(signer, call, { nonce = null, factor = 1n } = {}) {
      const a = await workRequest(node, call.method.toHex(), signer.address, nonce);
      const seal = mine(preImageOf(a), BigInt(a.requiredEffort) * factor);
      return { a, seal, tx: withWork(api, call, a.anchor, seal) };
    }
    let firstQuote;
    let staleLater;

    await step('an account that never held a balance pays an allowed call by work', async () => {
      const empty = await freshAccount();
      const { a, tx } = await paid(empty, remark('paid by work'));
      firstQuote = a;
      assert.equal(a.txNonce, 0);
      assert.ok(BigInt(a.requiredEffort) >= 4096n, `required effort ${a.requiredEffort}`);
      const { blockHash } = await sendAndWaitInBlock(api, tx, empty, { nonce: 0, tip: 0 });
      const block = await api.rpc.chain.getBlock(blockHash);
      const index = block.block.extrinsics.findIndex((x) => x.hash.eq(tx.hash));
      const own = extrinsicEvents(await eventsAt(api, blockHash), index);
      const names = eventNames(own);
      assert.ok(names.includes('workPayment.PaidByWork'), names);
      assert.ok(names.includes('system.ExtrinsicSuccess'), names);
      assert.ok(!names.includes('transactionPayment.TransactionFeePaid'), `a fee was charged: ${names}`);
      assert.equal(await freeAt(api, empty.address, blockHash), 0n);
      assert.equal(await nonceAt(api, empty.address, blockHash), 1);

      // The same transaction signed again (a new signature, so not the pool's known hash): its
      // proof is used.
      await assertRefused(api, tx, empty, CODE.ProofUsed);
    });

    await step('the same call without a seal is refused for lack of funds', async () => {
      const nobody = await freshAccount();
      const message = await submitError(api, remark('no seal'), nobody);
      assert.match(message, /Inability to pay some fees/, message);
    });

    await step('a proof is bound to its call, signer and anchor; anchors must be past; work must suffice', async () => {
      const g = await freshAccount();
      const h = await freshAccount();
      const call = remark('bound');
      const { a, seal, tx } = await paid(g, call);
      await assertRefused(api, withWork(api, remark('another call'), a.anchor, seal), g, CODE.InsufficientWork);
      await assertRefused(api, tx, h, CODE.InsufficientWork);
      await assertRefused(api, withWork(api, call, a.anchor - 1, seal), g, CODE.InsufficientWork);
      await assertRefused(api, withWork(api, call, a.anchor + 1000, seal), g, CODE.AnchorInFuture);
      const required = BigInt(a.requiredEffort);
      const short = mine(preImageOf(a), required / 2n, { below: required });
      assert.ok(effortOf(preImageOf(a), short) < required);
      await assertRefused(api, withWork(api, call, a.anchor, short), g, CODE.InsufficientWork);
      await assertRefused(api, tx, g, CODE.TipWithWork, { tip: 1 });
      // Kept for later: valid now, stale once its anchor is more than 64 blocks old.
      staleLater = { signer: g, tx, anchor: a.anchor };
    });

    await step('calls off the allow-list are refused by the runtime and by work_request', async () => {
      const e = await freshAccount();
      const transfer = api.tx.balances.transferKeepAlive((await devAccount('Bob')).address, 10n ** 12n);
      await assertRefused(api, withWork(api, transfer, firstQuote.anchor, 0n), e, CODE.CallNotAllowed);
      const err = await rpcError(workRequest(node, transfer.method.toHex(), e.address));
      assert.equal(err.code, 9301, JSON.stringify(err));
      assert.equal(err.message, 'NotPayable');
      assert.equal(err.data, 'CallNotAllowed');
    });

    await step('work_* refuses bad calls, forged tokens, oversized and malformed submissions', async () => {
      const e = await freshAccount();
      assert.equal((await rpcError(workRequest(node, '0x0102', e.address))).code, 9300);
      const a = await workRequest(node, remark('token').method.toHex(), e.address);
      const last = a.token.slice(-1);
      const forged = a.token.slice(0, -1) + (last === '0' ? '1' : '0');
      assert.equal((await rpcError(rpcHttp(node.rpcPort, 'work_submit', [forged, ['1']]))).code, 9302);
      assert.equal((await rpcError(rpcHttp(node.rpcPort, 'work_status', [forged]))).code, 9302);
      const many = Array.from({ length: 1025 }, (_, i) => String(i));
      assert.equal((await rpcError(rpcHttp(node.rpcPort, 'work_submit', [a.token, many]))).code, 9304);
      assert.equal((await rpcError(rpcHttp(node.rpcPort, 'work_submit', [a.token, ['not a nonce']]))).code, 9305);
      const status = await rpcHttp(node.rpcPort, 'work_status', [a.token]);
      assert.equal(status.shares, 0);
      assert.equal(status.done, false);
    });

    await step("the seed's broker flow: request, shares, result, included", async () => {
      const b = await freshAccount();
      const call = remark('brokered');
      const a = await workRequest(node, call.method.toHex(), b.address);
      assert.equal(BigInt(a.shareEffort), BigInt(a.requiredEffort) / 64n);
      const { progress, submissions } = await workUntilDone(node, a);
      t.diagnostic(`broker: done after ${submissions} submissions, ${progress.shares} shares (${progress.creditedEffort} of ${progress.requiredEffort})`);
      assert.ok(progress.shares >= 1);
      assert.equal(progress.seal.anchor, a.anchor);
      assert.ok(effortOf(preImageOf(a), BigInt(progress.seal.nonce)) >= BigInt(a.requiredEffort));
      // Shares again are duplicates; the status keeps the result.
      const again = await rpcHttp(node.rpcPort, 'work_submit', [a.token, [progress.seal.nonce]]);
      assert.equal(again.duplicates, 1);
      assert.equal(again.newShares, 0);
      assert.deepEqual((await rpcHttp(node.rpcPort, 'work_status', [a.token])).seal, progress.seal);
      // Work done for this request credits nothing under another request's token.
      const other = await workRequest(node, remark('another request').method.toHex(), b.address);
      const foreign = await rpcHttp(node.rpcPort, 'work_submit', [other.token, [progress.seal.nonce]]);
      assert.equal(foreign.newShares, 0);
      assert.equal(foreign.lowWork + foreign.outOfRange, 1);
      const tx = withWork(api, call, progress.seal.anchor, progress.seal.nonce);
      await sendAndWaitInBlock(api, tx, b, { nonce: a.txNonce, tip: 0 });
    });

    await step('a work-paid transaction ranks below the same transaction paying its fee', async () => {
      const w = await freshAccount();
      const alice = await devAccount('Alice');
      const call = remark('same size');
      const { tx } = await paid(w, call, { factor: 8n });
      const best = (await api.rpc.chain.getHeader()).hash;
      const validity = async (signed) => {
        // TaggedTransactionQueue_validate_transaction(source: External, tx, block_hash), by hand.
        const input = u8aConcat(new Uint8Array([2]), signed.toU8a(), best.toU8a());
        const raw = await api.rpc.state.call('TaggedTransactionQueue_validate_transaction', u8aToHex(input), best);
        const result = api.createType('TransactionValidity', raw);
        assert.ok(result.isOk, `invalid: ${result.toString()}`);
        return result.asOk.priority.toBigInt();
      };
      const workPriority = await validity(await tx.signAsync(w, { nonce: 0, tip: 0 }));
      const aliceNonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
      // The fee-paying one is the same wrapped call from a funded account (work ignored: it pays).
      const feeTx = api.tx.system.remark('same size');
      const feePriority = await validity(await feeTx.signAsync(alice, { nonce: aliceNonce, tip: 0 }));
      t.diagnostic(`priority: work-paid ${workPriority}, fee-paying ${feePriority}`);
      assert.ok(workPriority < feePriority, `work ${workPriority} >= fee ${feePriority}`);
      assert.ok(workPriority > 0n, 'more work than required earns some priority');
    });

    await step('a flood of work-paid transactions raises the multiplier, keeps to its share and lets fees through', async () => {
      // 70 transactions: one full block (64) and a few more. Mined at 1.5 times the required
      // effort, so those left for the second block still pass once the multiplier has risen.
      // Prepared again if the machine was too slow to mine them well within their anchors' window.
      const senders = await Promise.all(Array.from({ length: 7 }, () => freshAccount()));
      const perSender = 10;
      let signed;
      for (let attempt = 1; ; attempt++) {
        signed = [];
        for (const s of senders) {
          for (let n = 0; n < perSender; n++) {
            const call = remark(`flood ${n}`);
            const a = await workRequest(node, call.method.toHex(), s.address, n);
            const seal = mine(preImageOf(a), (BigInt(a.requiredEffort) * 3n) / 2n);
            const hex = (await withWork(api, call, a.anchor, seal).signAsync(s, { nonce: n, tip: 0 })).toHex();
            signed.push({ n, hex, expires: a.expires });
          }
        }
        const best = (await api.rpc.chain.getHeader()).number.toNumber();
        const expires = Math.min(...signed.map((x) => x.expires));
        if (best + 8 <= expires) break;
        t.diagnostic(`flood prepared too slowly (best #${best}, first anchor expires at #${expires}); again`);
        assert.ok(attempt < 3, 'the flood could not be mined within its anchors\' window three times');
      }
      // The same transfer without a flood, for comparison.
      const alice = await devAccount('Alice');
      const delay = async () => {
        const before = (await api.rpc.chain.getHeader()).number.toNumber();
        const transfer = api.tx.balances.transferKeepAlive((await freshAccount()).address, 10n ** 12n);
        const { blockHash } = await sendAndWaitInBlock(api, transfer, alice);
        return { before, included: (await api.rpc.chain.getHeader(blockHash)).number.toNumber() };
      };
      const quiet = await delay();
      const multipliers = [];
      const perBlock = [];
      const unsub = await api.rpc.chain.subscribeNewHeads(async (header) => {
        const at = await api.at(header.hash);
        multipliers.push((await at.query.workPayment.multiplier()).toBigInt());
        const events = await at.query.system.events();
        perBlock.push(events.filter(({ event }) => api.events.workPayment.PaidByWork.is(event)).length);
      });
      try {
        // Later nonces first (they wait in the pool), then every nonce 0: all become ready at once.
        await Promise.all(signed.filter((x) => x.n > 0).map((x) => api.rpc.author.submitExtrinsic(x.hex)));
        await Promise.all(signed.filter((x) => x.n === 0).map((x) => api.rpc.author.submitExtrinsic(x.hex)));
        const { before, included } = await delay();
        t.diagnostic(
          `fee-paying transfer: without a flood sent at best #${quiet.before}, included in #${quiet.included}; ` +
            `during the flood sent at best #${before}, included in #${included}`,
        );
        // The block being mined when it arrived, the next template, one of slack for the pool's
        // view on a 0.4 s chain: a flood that outranked it would hold it for its whole length.
        assert.ok(included <= before + 3, `the transfer waited from #${before} to #${included}`);
        await waitUntil(
          async () => (await nonceAt(api, senders[0].address, (await api.rpc.chain.getHeader()).hash)) === perSender,
          60_000,
          'the flood to be included',
        );
        await waitUntil(async () => multipliers.at(-1) === ONE && multipliers.some((m) => m > ONE), 60_000, 'the multiplier to rise and fall back');
      } finally {
        unsub();
      }
      const peak = multipliers.reduce((a, b) => (a > b ? a : b));
      t.diagnostic(`work-paid per block: ${perBlock.join(' ')}; peak multiplier ${Number(peak) / 1e18}`);
      assert.ok(peak > ONE, 'the multiplier rose');
      assert.ok(perBlock.every((n) => n <= MAX_WORK_PER_BLOCK), `a block held more than ${MAX_WORK_PER_BLOCK} work-paid transactions: ${perBlock}`);
    });

    await step('a seal whose anchor is more than 64 blocks old is stale', async () => {
      const { signer, tx, anchor } = staleLater;
      // A block or two more: the pool validates against its own view of the best block.
      await waitForBlock(api, anchor + ANCHOR_WINDOW + 3, 120_000);
      await assertRefused(api, tx, signer, CODE.AnchorStale);
      // The first token's anchor is older still: the work API calls it expired.
      const expired = await rpcError(rpcHttp(node.rpcPort, 'work_status', [firstQuote.token]));
      assert.equal(expired.code, 9303, JSON.stringify(expired));
      assert.equal(expired.message, 'Expired');
    });
  });
});
