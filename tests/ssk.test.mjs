// SSK interoperability on a live node: envelopes sealed by a dapp in JavaScript (@hpke/core, an
// independent RFC 9180 implementation) are opened by the Rust tool `gpow-ssk open --rpc`, and
// envelopes sealed by `gpow-ssk seal` are opened in JavaScript after a round trip through the chain
// (ssk.postEnvelope, ssk_latest). Then rotation (a higher epoch replaces the SSK, a lower one is
// refused with ssk.EpochNotIncreasing) and revocation (ssk_latest null, EnvelopeRevoked, the deposit
// released).
//
// Alice's X25519 key is made by @hpke in JS, Bob's by `gpow-ssk keygen`, so each direction mixes
// the two implementations. The tool is `$GPOW_SSK` or `${CARGO_TARGET_DIR:-~/.cache/gpow/target}/release/gpow-ssk`.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { generateKeyPair, headerAad, hpkeSuite, openSsk, sealSsk } from '@gpow/api';
import { u8aToHex } from '@polkadot/util';

import { eventNames, eventsAt, field, sendAndWaitInBlock } from './lib/chain.mjs';
import { devAccount, freshAccount, rpcHttp, waitForBlock, withNode } from './lib/node.mjs';
import { assertSskBinaryExists, connectWithSsk, runSsk, ssk, sskTmpDir } from './lib/ssk.mjs';

const ENVELOPE_FIELDS = ['ciphertext', 'enc', 'epoch', 'expiry', 'postedAt', 'recipientKeyVersion', 'suite'];

/** The events of `section.method` in block `hash`. */
async function eventsOf(api, hash, section, method) {
  const events = await eventsAt(api, hash);
  const found = events.filter(({ event }) => event.section === section && event.method === method);
  return { found, all: eventNames(events) };
}

/** Reserved balance and the SSK envelope hold of `address` at block `hash`. */
async function heldAt(api, address, hash) {
  const apiAt = await api.at(hash);
  const reserved = (await apiAt.query.system.account(address)).data.reserved.toBigInt();
  let envelopeHold = 0n;
  for (const hold of await apiAt.query.balances.holds(address)) {
    const id = hold.id.toJSON();
    if (id && typeof id === 'object' && id.ssk === 'Envelope') envelopeHold += hold.amount.toBigInt();
  }
  return { reserved, envelopeHold };
}

test('ssk: JS <-> Rust envelopes through the chain, rotation, revocation', async (t) => {
  const tool = assertSskBinaryExists();
  t.diagnostic(`gpow-ssk: ${tool}`);
  const author = await freshAccount();
  const alice = await devAccount('Alice');
  const bob = await devAccount('Bob');
  const dir = sskTmpDir();
  const file = (name) => path.join(dir, name);
  const read = (name) => fs.readFileSync(file(name), 'utf8').trim();

  try {
    await withNode(t, { author: author.address, connect: false }, async (node, step) => {
      const api = await connectWithSsk(node);
      const rpcUrl = `http://127.0.0.1:${node.rpcPort}`;
      await waitForBlock(api, 1, 240_000);
      const genesis = (await api.rpc.chain.getBlockHash(0)).toHex();
      const suite = hpkeSuite();
      const aliceX = await generateKeyPair(suite); // JS (@hpke)
      const bobXPub = (await ssk(['keygen', '--out', file('bob.key')])).trim(); // Rust
      assert.match(bobXPub, /^0x[0-9a-f]{64}$/);
      const headerType = api.tx.ssk.postEnvelope.meta.args[1].type.toString();
      const post = (signer, to, header, enc, ciphertext) =>
        sendAndWaitInBlock(api, api.tx.ssk.postEnvelope(to, header, enc, ciphertext), signer);
      let keysBlock;
      let ksEpoch1;

      await step('Alice (JS key) and Bob (gpow-ssk key) publish their X25519 keys', async () => {
        const [a, b] = await Promise.all([
          sendAndWaitInBlock(api, api.tx.ssk.publishKey(u8aToHex(aliceX.publicKey)), alice),
          sendAndWaitInBlock(api, api.tx.ssk.publishKey(bobXPub), bob),
        ]);
        for (const [who, res, key] of [
          [alice, a, u8aToHex(aliceX.publicKey)],
          [bob, b, bobXPub],
        ]) {
          const { found, all } = await eventsOf(api, res.blockHash, 'ssk', 'KeyPublished');
          const mine = found.filter(({ event }) => field(event, 'who', 0).toString() === who.address);
          assert.equal(mine.length, 1, `one ssk.KeyPublished for ${who.address}; events: ${all}`);
          assert.equal(field(mine[0].event, 'version', 1).toNumber(), 1);
          assert.equal(field(mine[0].event, 'key', 2).toHex(), key);
          const published = await api.rpc.ssk.encryptionKey(who.address);
          assert.ok(published.isSome, `ssk_encryptionKey(${who.address}) is null`);
          assert.equal(published.unwrap().version.toNumber(), 1);
          assert.equal(published.unwrap().key.toHex(), key);
          assert.deepEqual(await rpcHttp(node.rpcPort, 'ssk_encryptionKey', [who.address]), { version: 1, key });
        }
        keysBlock = (await api.rpc.chain.getHeader()).hash;
      });
      const before = await heldAt(api, alice.address, keysBlock);
      t.diagnostic(`Alice before any envelope: reserved ${before.reserved}, envelope hold ${before.envelopeHold}`);

      await step('JS -> Rust: @hpke seals K_S to Bob, Alice posts it, gpow-ssk open --rpc gets K_S', async () => {
        const header = { suite: 1, epoch: 1, recipientKeyVersion: 1, expiry: null };
        // The aad the JS side builds is the SCALE encoding the chain uses for the header.
        assert.equal(u8aToHex(headerAad(header)), api.createType(headerType, header).toHex());
        const withExpiry = { ...header, expiry: 123456 };
        assert.equal(u8aToHex(headerAad(withExpiry)), api.createType(headerType, withExpiry).toHex());

        const sealed = await sealSsk({
          suite,
          senderKeyPair: aliceX.keyPair,
          recipientPublicKey: bobXPub,
          genesis,
          from: alice.address,
          to: bob.address,
          header,
        });
        assert.equal(sealed.enc.length, 32);
        assert.equal(sealed.ciphertext.length, 48);
        ksEpoch1 = u8aToHex(sealed.ssk);
        const { blockHash } = await post(alice, bob.address, header, u8aToHex(sealed.enc), u8aToHex(sealed.ciphertext));
        const { found, all } = await eventsOf(api, blockHash, 'ssk', 'EnvelopePosted');
        assert.equal(found.length, 1, `one ssk.EnvelopePosted; events: ${all}`);
        assert.equal(field(found[0].event, 'from', 0).toString(), alice.address);
        assert.equal(field(found[0].event, 'to', 1).toString(), bob.address);
        assert.equal(field(found[0].event, 'epoch', 2).toNumber(), 1);

        const number = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
        const raw = await rpcHttp(node.rpcPort, 'ssk_latest', [alice.address, bob.address, blockHash.toHex()]);
        assert.deepEqual(Object.keys(raw).sort(), ENVELOPE_FIELDS);
        assert.deepEqual(raw, {
          suite: 1,
          epoch: 1,
          recipientKeyVersion: 1,
          expiry: null,
          enc: u8aToHex(sealed.enc),
          ciphertext: u8aToHex(sealed.ciphertext),
          postedAt: number,
        });
        const latest = await api.rpc.ssk.latest(alice.address, bob.address);
        assert.ok(latest.isSome, 'api.rpc.ssk.latest is None');
        assert.equal(latest.unwrap().epoch.toNumber(), 1);
        assert.equal(latest.unwrap().ciphertext.toHex(), u8aToHex(sealed.ciphertext));

        await ssk([
          'open', '--rpc', rpcUrl, '--key', file('bob.key'), '--from', alice.address, '--to', bob.address,
          '--ssk-out', file('bob-epoch1.ssk'),
        ]);
        assert.equal(read('bob-epoch1.ssk'), ksEpoch1, 'gpow-ssk opened another key than the one @hpke sealed');
      });

      await step('Rust -> JS: gpow-ssk seals from Bob to Alice, Bob posts it, @hpke opens it from ssk_latest', async () => {
        await ssk([
          'seal', '--key', file('bob.key'), '--to-key', u8aToHex(aliceX.publicKey), '--genesis', genesis,
          '--from', bob.address, '--to', alice.address, '--epoch', '1', '--key-version', '1', '--expiry', '100000000',
          '--out', file('bob-to-alice.json'), '--ssk-out', file('bob-to-alice.ssk'),
        ]);
        const envelope = JSON.parse(read('bob-to-alice.json'));
        assert.deepEqual(Object.keys(envelope).sort(), ENVELOPE_FIELDS.filter((f) => f !== 'postedAt'));
        const header = {
          suite: envelope.suite,
          epoch: envelope.epoch,
          recipientKeyVersion: envelope.recipientKeyVersion,
          expiry: envelope.expiry,
        };
        await post(bob, alice.address, header, envelope.enc, envelope.ciphertext);

        const latest = await api.rpc.ssk.latest(bob.address, alice.address);
        assert.ok(latest.isSome, 'no envelope from Bob to Alice');
        const bobKey = (await api.rpc.ssk.encryptionKey(bob.address)).unwrap().key.toHex();
        const opened = await openSsk({
          suite,
          recipientKeyPair: aliceX.keyPair,
          senderPublicKey: bobKey,
          genesis,
          from: bob.address,
          to: alice.address,
          envelope: latest.unwrap(),
        });
        assert.equal(u8aToHex(opened), read('bob-to-alice.ssk'), '@hpke opened another key than gpow-ssk sealed');
        // The raw JSON answer opens the same way.
        const raw = await rpcHttp(node.rpcPort, 'ssk_latest', [bob.address, alice.address]);
        assert.equal(raw.expiry, 100000000);
        const again = await openSsk({
          suite,
          recipientKeyPair: aliceX.keyPair,
          senderPublicKey: bobKey,
          genesis,
          from: bob.address,
          to: alice.address,
          envelope: raw,
        });
        assert.equal(u8aToHex(again), read('bob-to-alice.ssk'));
      });

      await step('rotation: epoch 2 replaces epoch 1; epoch 1 again is refused with ssk.EpochNotIncreasing', async () => {
        const header = { suite: 1, epoch: 2, recipientKeyVersion: 1, expiry: null };
        const sealed = await sealSsk({
          suite,
          senderKeyPair: aliceX.keyPair,
          recipientPublicKey: bobXPub,
          genesis,
          from: alice.address,
          to: bob.address,
          header,
        });
        await post(alice, bob.address, header, u8aToHex(sealed.enc), u8aToHex(sealed.ciphertext));
        const latest = await rpcHttp(node.rpcPort, 'ssk_latest', [alice.address, bob.address]);
        assert.equal(latest.epoch, 2);
        assert.equal(latest.ciphertext, u8aToHex(sealed.ciphertext));

        await ssk([
          'open', '--rpc', rpcUrl, '--key', file('bob.key'), '--from', alice.address, '--to', bob.address,
          '--epoch', '2', '--ssk-out', file('bob-epoch2.ssk'),
        ]);
        assert.equal(read('bob-epoch2.ssk'), u8aToHex(sealed.ssk));
        assert.notEqual(read('bob-epoch2.ssk'), ksEpoch1, 'a new epoch has a new SSK');
        // Asking for the old epoch now fails clearly.
        const old = await runSsk([
          'open', '--rpc', rpcUrl, '--key', file('bob.key'), '--from', alice.address, '--to', bob.address,
          '--epoch', '1', '--ssk-out', file('unused.ssk'),
        ]);
        assert.equal(old.code, 1, old.stderr);
        assert.match(old.stderr, /envelope header epoch 2 differs from the expected binding epoch 1/);

        const stale = { suite: 1, epoch: 1, recipientKeyVersion: 1, expiry: null };
        const again = await sealSsk({
          suite,
          senderKeyPair: aliceX.keyPair,
          recipientPublicKey: bobXPub,
          genesis,
          from: alice.address,
          to: bob.address,
          header: stale,
        });
        await assert.rejects(
          post(alice, bob.address, stale, u8aToHex(again.enc), u8aToHex(again.ciphertext)),
          /ssk\.EpochNotIncreasing/,
        );
        assert.equal((await rpcHttp(node.rpcPort, 'ssk_latest', [alice.address, bob.address])).epoch, 2);
      });

      await step('revocation: ssk_latest becomes null, EnvelopeRevoked, the deposit is released', async () => {
        const best = (await api.rpc.chain.getHeader()).hash;
        const posted = await heldAt(api, alice.address, best);
        assert.ok(posted.envelopeHold > 0n, 'an envelope deposit is held while the envelope is stored');
        assert.equal(posted.reserved - before.reserved, posted.envelopeHold - before.envelopeHold);

        const { blockHash } = await sendAndWaitInBlock(api, api.tx.ssk.revoke(bob.address), alice);
        const { found, all } = await eventsOf(api, blockHash, 'ssk', 'EnvelopeRevoked');
        assert.equal(found.length, 1, `one ssk.EnvelopeRevoked; events: ${all}`);
        assert.equal(field(found[0].event, 'from', 0).toString(), alice.address);
        assert.equal(field(found[0].event, 'to', 1).toString(), bob.address);
        assert.equal(field(found[0].event, 'epoch', 2).toNumber(), 2);

        assert.equal(await rpcHttp(node.rpcPort, 'ssk_latest', [alice.address, bob.address, blockHash.toHex()]), null);
        assert.ok((await api.rpc.ssk.latest(alice.address, bob.address, blockHash)).isNone);
        const after = await heldAt(api, alice.address, blockHash);
        assert.equal(after.envelopeHold, before.envelopeHold, 'the envelope hold is released');
        assert.equal(after.reserved, before.reserved, 'the reserved balance is back to what it was');
        // Bob's envelope to Alice is another pair: untouched.
        assert.notEqual(await rpcHttp(node.rpcPort, 'ssk_latest', [bob.address, alice.address]), null);

        const none = await runSsk([
          'open', '--rpc', rpcUrl, '--key', file('bob.key'), '--from', alice.address, '--to', bob.address,
          '--ssk-out', file('unused.ssk'),
        ]);
        assert.equal(none.code, 1, none.stderr);
        assert.match(none.stderr, /no envelope from .* on chain/);
        assert.equal(none.stderr.trim().split('\n').length, 1, `one line: ${none.stderr}`);
      });
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
