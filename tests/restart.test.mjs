// Restart: a node on a --base-path stops cleanly on SIGINT, and a node started again on the same
// base path has the same genesis, keeps its blocks and goes on mining.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';

import { freshAccount, runBinary, tmpDir, waitForBlock, withNode } from './lib/node.mjs';

test('restart: chain persists across a SIGINT restart', async (t) => {
  const author = await freshAccount();
  const basePath = tmpDir('restart');
  t.diagnostic(`base path: ${basePath}`);
  let genesis;
  let lastBest; // { number, hash } read just before the first stop

  await t.test('first run: mine to #3, stop with SIGINT', async (st) => {
    await withNode(st, { basePath, author: author.address }, async (node) => {
      const { api } = node;
      genesis = (await api.rpc.chain.getBlockHash(0)).toHex();
      await waitForBlock(api, 3, 240_000);
      const h = await api.rpc.chain.getHeader();
      lastBest = { number: h.number.toNumber(), hash: h.hash.toHex() };
      st.diagnostic(`genesis ${genesis}, best before stop #${lastBest.number} ${lastBest.hash}`);
    });
  });
  assert.ok(genesis && lastBest, 'first run did not complete');

  await t.test('chain-info on the stopped base path', async () => {
    const res = await runBinary(['chain-info', '--dev', '--base-path', basePath], { name: 'restart-chain-info' });
    assert.equal(res.code, 0, `chain-info failed (code ${res.code}); log: ${res.logPath}\n${res.output}`);
    assert.ok(!res.output.includes('panicked at'), `chain-info panicked; log: ${res.logPath}`);
    const info = JSON.parse(res.stdout);
    assert.equal(info.genesis_hash, genesis, 'chain-info genesis_hash');
    assert.ok(info.best_number >= lastBest.number, `chain-info best_number ${info.best_number} < ${lastBest.number}`);
  });

  await t.test('second run: same genesis, best >= previous best, mines further', async (st) => {
    await withNode(st, { basePath, author: author.address }, async (node) => {
      const { api } = node;
      assert.equal((await api.rpc.chain.getBlockHash(0)).toHex(), genesis, 'genesis hash changed across restart');
      const start = (await api.rpc.chain.getHeader()).number.toNumber();
      st.diagnostic(`best right after restart: #${start}`);
      assert.ok(start >= lastBest.number, `best after restart #${start} < best before stop #${lastBest.number}`);
      assert.equal(
        (await api.rpc.chain.getBlockHash(lastBest.number)).toHex(),
        lastBest.hash,
        `block #${lastBest.number} changed across restart`,
      );
      const next = await waitForBlock(api, start + 1, 240_000);
      assert.ok(next.number.toNumber() > start);
    });
  });

  fs.rmSync(basePath, { recursive: true, force: true });
});
