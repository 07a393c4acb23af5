// Metadata-hash signing (RFC-0078, `CheckMetadataHash`): a signer that verifies metadata (the
// Ledger generic app) signs, with the transaction, the hash of the chain's metadata. The hash is
// computed here by an implementation nobody here wrote (@polkadot-api/merkleize-metadata), from the
// runtime's metadata V15 and the chain's token as `system_properties` gives it (GPOW, 12 decimals).
// A transfer signed with it (mode 1) is included; one signed with another hash is refused.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { merkleizeMetadata } from '@polkadot-api/merkleize-metadata';
import { u8aToHex } from '@polkadot/util';

import { freeAt, sendAndWaitInBlock } from './lib/chain.mjs';
import { devAccount, freshAccount, waitForBlock, withNode } from './lib/node.mjs';

/** 1010 with the pool's words for a signature over another payload. */
const BAD_SIGNATURE = /1010: Invalid Transaction: Transaction has a bad signature/;

test('metadata hash: CheckMetadataHash accepts the RFC-0078 hash of the metadata and refuses another', async (t) => {
  const [author, alice, dest] = await Promise.all([freshAccount(), devAccount('Alice'), freshAccount()]);
  await withNode(t, { author: author.address }, async (node, step) => {
    const { api } = node;
    await waitForBlock(api, 1, 240_000);
    const metadata = (await api.call.metadata.metadataAtVersion(15)).unwrap().toU8a(true);
    const properties = await api.rpc.system.properties();
    const token = {
      decimals: properties.tokenDecimals.unwrap()[0].toNumber(),
      tokenSymbol: properties.tokenSymbol.unwrap()[0].toString(),
    };
    const metadataHash = u8aToHex(merkleizeMetadata(metadata, token).digest());
    t.diagnostic(`metadata hash (${token.tokenSymbol}, ${token.decimals} decimals): ${metadataHash}`);
    const amount = 10n ** 12n;

    await step('the metadata lists CheckMetadataHash among the transaction extensions', async () => {
      const names = api.registry.metadata.extrinsic.transactionExtensions.map((e) => e.identifier.toString());
      assert.ok(names.includes('CheckMetadataHash'), `extensions: ${names.join(', ')}`);
      assert.deepEqual(token, { decimals: 12, tokenSymbol: 'GPOW' });
    });

    await step('mode 1 with the hash computed independently: included, the amount moves', async () => {
      const tx = api.tx.balances.transferKeepAlive(dest.address, amount);
      const { blockHash } = await sendAndWaitInBlock(api, tx, alice, { mode: 1, metadataHash });
      assert.equal(await freeAt(api, dest.address, blockHash), amount);
      // The extrinsic on chain carries mode 1.
      const { block } = await api.rpc.chain.getBlock(blockHash);
      const xt = block.extrinsics.find((x) => x.hash.eq(tx.hash));
      assert.equal(xt.inner.signature.mode.toNumber(), 1, 'the included transfer is in mode 1');
    });

    await step('mode 1 with another hash (another decimals, or any 32 bytes): refused as a bad signature', async () => {
      const wrongDecimals = u8aToHex(merkleizeMetadata(metadata, { ...token, decimals: 10 }).digest());
      assert.notEqual(wrongDecimals, metadataHash);
      for (const wrong of [wrongDecimals, `0x${'11'.repeat(32)}`]) {
        const tx = api.tx.balances.transferKeepAlive(dest.address, amount);
        await assert.rejects(tx.signAndSend(alice, { mode: 1, metadataHash: wrong, nonce: -1 }), BAD_SIGNATURE);
      }
    });
  });
});
