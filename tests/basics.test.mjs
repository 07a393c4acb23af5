// Basics: the node starts, its RPC answers, the metadata decodes with every GPoW pallet and runtime
// API, the chain properties are right, and blocks get mined.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { blake2AsHex } from '@polkadot/util-crypto';

import { scrapeMetrics } from './lib/metrics.mjs';
import { collectNewHeads, freePort, freshAccount, rpcHttp, withNode } from './lib/node.mjs';

const PALLETS = ['System', 'Timestamp', 'Balances', 'TransactionPayment', 'Sudo', 'Difficulty', 'Rewards'];
const RUNTIME_APIS = [
  'Core',
  'Metadata',
  'BlockBuilder',
  'TaggedTransactionQueue',
  'AccountNonceApi',
  'TransactionPaymentApi',
  'DifficultyApi',
];

test('basics: metadata, properties, mining', async (t) => {
  const author = await freshAccount();
  const prometheusPort = await freePort();
  await withNode(t, { author: author.address, prometheusPort }, async (node, step) => {
    const { api } = node;

    await step('metadata decodes with all GPoW pallets', async () => {
      const names = api.runtimeMetadata.asLatest.pallets.map((p) => p.name.toString());
      for (const p of PALLETS) assert.ok(names.includes(p), `pallet ${p} missing from metadata: ${names.join(', ')}`);
      assert.ok(api.query.difficulty.currentDifficulty, 'storage difficulty.currentDifficulty missing');
      assert.ok(api.query.difficulty.targetBlockTime, 'storage difficulty.targetBlockTime missing');
      // The block reward is governed: read through GovernanceApi_parameters, not a constant.
      assert.ok(api.call.governanceApi?.parameters, 'runtime API GovernanceApi_parameters missing');
      assert.ok(api.events.rewards.Rewarded, 'event rewards.Rewarded missing');
      assert.ok(api.tx.balances.transferKeepAlive, 'call balances.transferKeepAlive missing');
      assert.ok(api.tx.sudo.sudo, 'call sudo.sudo missing');
    });

    await step('runtime APIs are declared in the runtime version and the metadata', async () => {
      const versionApis = api.runtimeVersion.apis.map(([id]) => id.toHex());
      for (const name of RUNTIME_APIS) {
        assert.ok(
          versionApis.includes(blake2AsHex(name, 64)),
          `runtime API ${name} missing from the runtime version's apis`,
        );
      }
      // Decode metadata v15 and v16 as served by the Metadata runtime API.
      for (const version of [15, 16]) {
        const opaque = await api.call.metadata.metadataAtVersion(version);
        assert.ok(opaque.isSome, `metadataAtVersion(${version}) returned None`);
        const md = api.registry.createType('Metadata', opaque.unwrap().toU8a(true));
        assert.equal(md.version, version, `metadataAtVersion(${version}) decoded as v${md.version}`);
        const decoded = md[`asV${version}`];
        const pallets = decoded.pallets.map((p) => p.name.toString());
        for (const p of PALLETS) assert.ok(pallets.includes(p), `pallet ${p} missing from metadata v${version}`);
        const metaApis = decoded.apis.map((a) => a.name.toString());
        for (const name of RUNTIME_APIS) {
          assert.ok(metaApis.includes(name), `runtime API ${name} missing from metadata v${version}: ${metaApis.join(', ')}`);
        }
      }
      assert.ok(api.call.difficultyApi?.difficulty, 'api.call.difficultyApi.difficulty not decorated');
    });

    await step('metadataVersions includes 15 and 16', async () => {
      const versions = (await api.call.metadata.metadataVersions()).map((v) => v.toNumber());
      assert.ok(versions.includes(15), `metadataVersions = ${versions}`);
      assert.ok(versions.includes(16), `metadataVersions = ${versions}`);
    });

    await step('system_properties: GPOW, 12 decimals, ss58 42', async () => {
      // The raw JSON, as any client sees it.
      const raw = await rpcHttp(node.rpcPort, 'system_properties');
      const one = (v) => (Array.isArray(v) ? (assert.equal(v.length, 1, JSON.stringify(raw)), v[0]) : v);
      assert.equal(one(raw.tokenSymbol), 'GPOW', `system_properties = ${JSON.stringify(raw)}`);
      assert.equal(one(raw.tokenDecimals), 12, `system_properties = ${JSON.stringify(raw)}`);
      assert.equal(raw.ss58Format, 42, `system_properties = ${JSON.stringify(raw)}`);
      // And through @polkadot/api's registry.
      assert.deepEqual(api.registry.chainTokens, ['GPOW']);
      assert.deepEqual(api.registry.chainDecimals, [12]);
      assert.equal(api.registry.chainSS58, 42);
      assert.equal((await api.rpc.system.chain()).toString().length > 0, true);
    });

    await step('mines at least 3 new blocks', async () => {
      const { start, heads } = await collectNewHeads(api, 3, 240_000);
      const numbers = heads.map((h) => h.number.toNumber());
      t.diagnostic(`best was #${start}, then saw ${numbers.join(', ')}`);
      for (const n of numbers) assert.ok(n > start);
      // The new heads chain up: each has a parent we can fetch, and each has a seal.
      for (const h of heads) {
        const last = h.digest.logs[h.digest.logs.length - 1];
        assert.ok(last?.isSeal, `block #${h.number} has no seal as its last digest log`);
        assert.equal(last.asSeal[0].toHex(), '0x706f775f', 'seal engine must be pow_');
      }
    });

    await step('logs a hashrate line (H/s)', async () => {
      await node.waitForLog(/H\/s/, 60_000);
    });

    await step('Prometheus: hashrate, difficulty, blocks mined and stale seals beside Substrate\'s metrics', async () => {
      // The hashrate gauge is set with the log line above, every 10 s.
      const before = (await api.rpc.chain.getHeader()).number.toNumber();
      const metric = await scrapeMetrics(prometheusPort);
      const header = await api.rpc.chain.getHeader();
      const after = header.number.toNumber();
      assert.ok(metric('substrate_block_height') > 0, "Substrate's own metrics are served too");
      assert.equal(metric('gpow_mining_threads'), 1);
      assert.ok(metric('gpow_mining_hashrate') > 0, `hashrate ${metric('gpow_mining_hashrate')}`);
      assert.ok(metric('gpow_mining_hashes_total') > 0);
      // This node mined every block of its chain (the counter follows an import by a moment).
      const mined = metric('gpow_blocks_mined_total');
      assert.ok(mined >= before - 1 && mined <= after, `gpow_blocks_mined_total ${mined}, best #${before}..#${after}`);
      assert.ok(metric('gpow_stale_seals_total') >= 0, 'gpow_stale_seals_total is exported');
      // The difficulty on top of the best block, as the runtime says it.
      const apiAt = await api.at(header.hash);
      const next = Number((await apiAt.call.difficultyApi.difficulty()).toBigInt());
      const previous = Number((await (await api.at(header.parentHash)).call.difficultyApi.difficulty()).toBigInt());
      assert.ok([next, previous].includes(metric('gpow_difficulty')), `gpow_difficulty ${metric('gpow_difficulty')}, runtime ${previous} / ${next}`);
      t.diagnostic(`metrics: ${mined} blocks mined, ${metric('gpow_stale_seals_total')} stale, ${metric('gpow_mining_hashrate').toFixed(0)} H/s, difficulty ${metric('gpow_difficulty')}`);
    });
  });
});
