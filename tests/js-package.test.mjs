// The package for dapps (js/, `@gpow/api`) as a dapp uses it: two of its README examples run
// against a dev node (connect and read the best block; Alice publishes an SSK key), the package
// type-checks (`tsc --noEmit` with js/tsconfig.json), and the copy the tests import is js/ as it
// is now (tests/.npmrc installs file:../js as a copy; a stale one means `npm install` here), and
// the polkadot-api metadata committed in js/.papi is the runtime's, and js/types (the TypeScript
// declarations) is what tsc emits from js/src.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { compactFromU8a, hexToU8a } from '@polkadot/util';

import { REPO_ROOT, rpcHttp, withNode } from './lib/node.mjs';

const run = promisify(execFile);
const JS = path.join(REPO_ROOT, 'js');
const INSTALLED = path.join(REPO_ROOT, 'tests', 'node_modules', '@gpow', 'api');

/** Runs `js/examples/<name>.mjs` against `wsUrl`; resolves with its standard output. */
async function example(name, wsUrl) {
  const { stdout } = await run(process.execPath, [path.join('examples', `${name}.mjs`), wsUrl], { cwd: JS, timeout: 60_000 });
  return stdout;
}

test('@gpow/api: examples against a dev node, type-check, installed copy current', async (t) => {
  await withNode(t, { connect: false }, async (node, step) => {
    const tsc = path.join(JS, 'node_modules', '.bin', 'tsc');
    const typecheck = run(tsc, ['-p', JS], { timeout: 120_000 });
    const declarations = fs.mkdtempSync(path.join(os.tmpdir(), 'gpow-api-types-'));
    const emit = run(tsc, ['-p', JS, '--noEmit', 'false', '--declaration', '--emitDeclarationOnly', '--outDir', declarations], { timeout: 120_000 });
    await node.waitForRpc();

    await step('examples/best-block.mjs reads the chain, the best block and REP', async () => {
      const out = await example('best-block', node.wsUrl);
      assert.match(out, /^GPoW Development: best block #\d+ 0x[0-9a-f]{64}$/m, out);
      assert.match(out, /^Alice: \d+ free REP of \d+$/m, out);
    });

    await step('examples/ssk-key.mjs publishes a key and reads it back', async () => {
      const out = await example('ssk-key', node.wsUrl);
      const [, key] = /^key (0x[0-9a-f]{64}) published as version 1 in block #\d+$/m.exec(out) ?? [];
      assert.ok(key, out);
      assert.match(out, new RegExp(`^ssk_encryptionKey: version 1, key ${key}$`, 'm'));
    });

    await step('the package type-checks (tsc --noEmit --checkJs)', async () => {
      const { stdout, stderr } = await typecheck.catch((e) => e);
      assert.equal(`${stdout}${stderr}`, '');
    });

    await step("the polkadot-api metadata in js/.papi is the node's (metadata V16)", async () => {
      const answer = hexToU8a(await rpcHttp(node.rpcPort, 'state_call', ['Metadata_metadata_at_version', '0x10000000']));
      assert.equal(answer[0], 1, 'the node serves metadata V16');
      const [offset, length] = compactFromU8a(answer.subarray(1));
      const metadata = answer.subarray(1 + offset, 1 + offset + Number(length));
      const committed = fs.readFileSync(path.join(JS, '.papi', 'metadata', 'gpow.scale'));
      assert.ok(Buffer.from(metadata).equals(committed), 'js/.papi/metadata/gpow.scale is stale: run GPOW_NODE=... bash js/scripts/descriptors.sh');
    });

    await step('the committed TypeScript declarations (js/types) are those of js/src', async () => {
      await emit;
      const committed = fs.readdirSync(path.join(JS, 'types')).sort();
      assert.deepEqual(committed, fs.readdirSync(declarations).sort(), 'js/types lists other files than tsc emits: run npm run types in js/');
      for (const file of committed) {
        assert.equal(fs.readFileSync(path.join(JS, 'types', file), 'utf8'), fs.readFileSync(path.join(declarations, file), 'utf8'), `js/types/${file} is stale: run npm run types in js/`);
      }
    });

    await step('the installed @gpow/api is js/ as it is now', () => {
      const files = (dir) => fs.readdirSync(path.join(JS, dir)).map((f) => path.join(dir, f));
      for (const file of ['package.json', ...files('src'), ...files('types')]) {
        const installed = path.join(INSTALLED, file);
        assert.ok(fs.existsSync(installed), `${file} is not installed: run npm ci in tests/ (or scripts/setup.sh)`);
        assert.equal(fs.readFileSync(installed, 'utf8'), fs.readFileSync(path.join(JS, file), 'utf8'), `tests/node_modules/@gpow/api/${file} is stale: run npm ci in tests/ (or scripts/setup.sh)`);
      }
    });
  });
});
