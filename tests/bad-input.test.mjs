// Bad input: invalid CLI arguments make the node exit non-zero with a clear message, and blocks
// with a tampered seal are rejected on import (with the matching reason, without a panic, without
// importing anything).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { u8aToHex } from '@polkadot/util';

import { PANIC_MARKER, freePorts, freshAccount, runBinary, tmpDir, waitForBlock, withNode } from './lib/node.mjs';
import {
  encodeSeal,
  meetsDifficulty,
  sealDigestItem,
  sealOfParts,
  workOf,
} from './lib/seal.mjs';

const CLI_TIMEOUT_MS = 90_000;
const warnings = [];

async function cliArgs(extra) {
  const [rpc, p2p] = await freePorts(2);
  return [...extra, '--rpc-port', String(rpc), '--port', String(p2p), '--no-mdns', '--no-prometheus', '--no-telemetry'];
}

function assertFailedClearly(res, needle, what) {
  const where = `log: ${res.logPath}\n${res.output.slice(-2000)}`;
  assert.ok(!res.timedOut, `${what}: the node did not exit within ${CLI_TIMEOUT_MS / 1000} s (it should refuse to start); ${where}`);
  assert.notEqual(res.code, 0, `${what}: exit code 0, expected non-zero; ${where}`);
  assert.ok(res.output.includes(needle), `${what}: the error output does not mention "${needle}"; ${where}`);
  assert.ok(!res.output.includes(PANIC_MARKER), `${what}: the node panicked; ${where}`);
}

test('bad CLI input: invalid --author', async () => {
  const res = await runBinary(await cliArgs(['--dev', '--tmp', '--author', 'not-an-ss58-address', '--mining-threads', '1']), {
    name: 'bad-author',
    timeoutMs: CLI_TIMEOUT_MS,
  });
  assertFailedClearly(res, '--author', 'gpow-node --author not-an-ss58-address');
});

test('bad CLI input: unknown --chain', async () => {
  const res = await runBinary(await cliArgs(['--chain', 'foo', '--tmp']), { name: 'bad-chain', timeoutMs: CLI_TIMEOUT_MS });
  assertFailedClearly(res, 'unknown chain', 'gpow-node --chain foo');
});

/**
 * The JSON export of `export-blocks` is a stream of SignedBlock objects written back to back
 * (`{...}{...}`, no array, no separators; see sc-service chain_ops::export_blocks), and
 * import-blocks reads the same stream. Splits it into the objects' texts.
 */
function splitJsonStream(text) {
  const out = [];
  let depth = 0;
  let inStr = false;
  let esc = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (esc) esc = false;
      else if (c === '\\') esc = true;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) out.push(text.slice(start, i + 1));
    } else if (depth === 0 && !/\s/.test(c)) {
      throw new Error(`unexpected ${JSON.stringify(c)} at offset ${i} between exported blocks`);
    }
  }
  assert.equal(depth, 0, 'export ends inside a JSON value');
  return out;
}

function headerOf(signedBlock) {
  const header = signedBlock?.block?.header;
  assert.ok(header?.digest?.logs, `unexpected export format: ${JSON.stringify(signedBlock).slice(0, 300)}`);
  return header;
}

/** Header parts for seal.mjs from the serde JSON of a header (number is a hex or decimal). */
function partsOfJsonHeader(h) {
  return {
    parentHash: h.parentHash,
    number: BigInt(h.number),
    stateRoot: h.stateRoot,
    extrinsicsRoot: h.extrinsicsRoot,
    logs: h.digest.logs,
  };
}

/** A copy of `signedBlock` whose seal digest item is replaced by `itemU8a`. */
function withSealItem(signedBlock, itemU8a) {
  const copy = structuredClone(signedBlock);
  const logs = copy.block.header.digest.logs;
  logs[logs.length - 1] = u8aToHex(itemU8a);
  return copy;
}

async function chainInfo(basePath, name) {
  const res = await runBinary(['chain-info', '--dev', '--base-path', basePath], { name, timeoutMs: 120_000 });
  assert.equal(res.code, 0, `chain-info failed (code ${res.code}); log: ${res.logPath}\n${res.output.slice(-2000)}`);
  assert.ok(!res.output.includes(PANIC_MARKER), `chain-info panicked; log: ${res.logPath}`);
  return JSON.parse(res.stdout);
}

async function importBlocks(file, basePath, name) {
  return runBinary(['import-blocks', '--dev', '--base-path', basePath, file], { name, timeoutMs: 300_000 });
}

test('bad seals: tampered blocks are rejected on import', async (t) => {
  const work = tmpDir('bad-seals');
  t.diagnostic(`work dir: ${work}`);
  const minedPath = path.join(work, 'mined');
  const author = await freshAccount();
  const N = 3;
  let failed = false;
  const sub = (name, fn) =>
    t.test(name, async (st) => {
      try {
        await fn(st);
      } catch (e) {
        failed = true;
        throw e;
      }
    });

  // 1. Mine a few blocks on a base path, then stop the node.
  await sub(`mine #1..#${N} on a base path`, async (st) => {
    await withNode(st, { basePath: minedPath, author: author.address }, async (node) => {
      await waitForBlock(node.api, N, 240_000);
    });
  });

  // 2. Export them (JSON, the default format).
  const exportFile = path.join(work, 'blocks.json');
  const exp = await runBinary(['export-blocks', '--dev', '--base-path', minedPath, '--from', '1', '--to', String(N), exportFile], {
    name: 'export-blocks',
    timeoutMs: 120_000,
  });
  assert.equal(exp.code, 0, `export-blocks failed (code ${exp.code}); log: ${exp.logPath}\n${exp.output.slice(-2000)}`);
  assert.ok(!exp.output.includes(PANIC_MARKER), `export-blocks panicked; log: ${exp.logPath}`);
  const blocks = splitJsonStream(fs.readFileSync(exportFile, 'utf8')).map((s) => JSON.parse(s));
  assert.equal(blocks.length, N, `export-blocks --from 1 --to ${N} wrote ${blocks.length} blocks`);
  const block1 = blocks[0];
  const parts1 = partsOfJsonHeader(headerOf(block1));
  assert.equal(parts1.number, 1n, 'the first exported block must be #1');
  const seal = sealOfParts(parts1);
  const preHashHex = u8aToHex(seal.preHash);
  t.diagnostic(`block #1 seal: difficulty=${seal.difficulty} nonce=${seal.nonce} pre-hash=${preHashHex}`);
  assert.ok(
    meetsDifficulty(workOf(seal.preHash, seal.nonce), seal.difficulty),
    'the test computes the pre-hash wrongly: the genuine seal of block #1 does not meet its difficulty',
  );

  // 3. Control: the untampered export imports fine into a fresh base path.
  await sub('control: the untampered export imports', async () => {
    const base = path.join(work, 'import-good');
    const res = await importBlocks(exportFile, base, 'import-good');
    assert.equal(res.code, 0, `import-blocks of the genuine export failed (code ${res.code}); log: ${res.logPath}`);
    assert.ok(!res.output.includes(PANIC_MARKER), `import-blocks panicked; log: ${res.logPath}`);
    assert.ok(!res.output.includes('Rejected seal'), `a genuine seal was rejected; log: ${res.logPath}`);
    const info = await chainInfo(base, 'chain-info-good');
    assert.equal(info.best_number, N, `after importing the genuine export best is #${info.best_number}`);
  });

  // 4. Tampered copies of block #1, each imported into its own fresh base path.
  let badNonce = seal.nonce;
  do {
    badNonce = (badNonce + 1n) & ((1n << 64n) - 1n);
  } while (meetsDifficulty(workOf(seal.preHash, badNonce), seal.difficulty));

  const cases = [
    {
      name: 'seal claims a different difficulty',
      reason: 'seal claims difficulty',
      item: sealDigestItem(encodeSeal({ difficulty: seal.difficulty + 1n, nonce: seal.nonce })),
    },
    {
      name: `seal nonce changed (${badNonce}: its work fails)`,
      reason: 'the work does not meet the difficulty',
      item: sealDigestItem(encodeSeal({ difficulty: seal.difficulty, nonce: badNonce })),
    },
    {
      name: 'seal bytes truncated (39 of 40)',
      reason: 'malformed seal bytes',
      item: sealDigestItem(encodeSeal(seal).subarray(0, 39)),
    },
    {
      name: 'seal bytes too long (41)',
      reason: 'malformed seal bytes',
      item: sealDigestItem(Uint8Array.from([...encodeSeal(seal), 0])),
    },
  ];
  for (const [i, c] of cases.entries()) {
    await sub(`rejects: ${c.name}`, async (st) => {
      const file = path.join(work, `bad-${i}.json`);
      fs.writeFileSync(file, JSON.stringify(withSealItem(block1, c.item)));
      const base = path.join(work, `import-bad-${i}`);
      const res = await importBlocks(file, base, `import-bad-${i}`);
      st.diagnostic(`import-blocks exit code ${res.code}; log: ${res.logPath}`);
      const where = `log: ${res.logPath}\n${res.output.slice(-2000)}`;
      assert.ok(!res.timedOut, `import-blocks did not finish; ${where}`);
      assert.ok(!res.output.includes(PANIC_MARKER), `import-blocks panicked; ${where}`);
      const line = res.output.split('\n').find((l) => l.includes('Rejected seal'));
      assert.ok(line, `no "Rejected seal" in the import log; ${where}`);
      assert.ok(line.includes(c.reason), `"Rejected seal" line does not give the reason "${c.reason}": ${line}`);
      // The node names the pre-hash it checked: it must be the one this test computes.
      assert.ok(line.includes(preHashHex), `"Rejected seal" line does not name the pre-hash ${preHashHex}: ${line}`);
      if (res.code === 0) {
        const w = `import-blocks exited 0 although block #1 was rejected (${c.name}); log: ${res.logPath}`;
        warnings.push(w);
        st.diagnostic(`WARNING: ${w}`);
      }
      const info = await chainInfo(base, `chain-info-bad-${i}`);
      assert.equal(info.best_number, 0, `the chain imported a block with a bad seal: best is #${info.best_number}`);
    });
  }

  if (warnings.length) console.error(`bad-input warnings:\n  ${warnings.join('\n  ')}`);
  if (!failed) fs.rmSync(work, { recursive: true, force: true });
});
