// Chain specs: scripts/chain-specs.sh regenerates exactly the committed chain-specs/*.json, except
// for the runtime Wasm blob (its bytes embed build paths and differ between checkouts), which must
// be present and non-empty in both.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { REPO_ROOT, assertBinaryExists, nodeBinary, tmpDir } from './lib/node.mjs';

const SPECS = ['dev', 'local', 'live'].flatMap((c) => [`${c}-plain.json`, `${c}-raw.json`]);
const CODE_KEY = '0x3a636f6465'; // the well-known storage key ":code" (hex)
const FIX = 'run `bash scripts/chain-specs.sh` and commit chain-specs/';

/** Removes the Wasm code from a spec (in place) and returns it. */
function takeCode(spec, file) {
  const raw = spec?.genesis?.raw;
  if (raw) {
    assert.ok(raw.top && typeof raw.top === 'object', `${file}: genesis.raw.top missing`);
    const code = raw.top[CODE_KEY];
    delete raw.top[CODE_KEY];
    return code;
  }
  const rg = spec?.genesis?.runtimeGenesis;
  assert.ok(rg && typeof rg === 'object', `${file}: neither genesis.raw nor genesis.runtimeGenesis`);
  const code = rg.code;
  delete rg.code;
  return code;
}

/** JSON paths where a and b differ (at most `limit`). */
function diffPaths(a, b, at = '$', out = [], limit = 20) {
  if (out.length >= limit) return out;
  if (a === b) return out;
  const ta = Array.isArray(a) ? 'array' : a === null ? 'null' : typeof a;
  const tb = Array.isArray(b) ? 'array' : b === null ? 'null' : typeof b;
  if (ta !== tb || (ta !== 'object' && ta !== 'array')) {
    const show = (v) => {
      const s = JSON.stringify(v);
      return s === undefined ? 'absent' : s.length > 80 ? `${s.slice(0, 77)}...` : s;
    };
    out.push(`${at}: committed ${show(a)} / generated ${show(b)}`);
    return out;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    diffPaths(a[k], b[k], ta === 'array' ? `${at}[${k}]` : `${at}.${k}`, out, limit);
    if (out.length >= limit) break;
  }
  return out;
}

test('chain specs: scripts/chain-specs.sh output matches chain-specs/*.json', async (t) => {
  assertBinaryExists();
  const out = tmpDir('chain-specs');
  t.diagnostic(`generated into ${out}`);
  const script = path.join(REPO_ROOT, 'scripts', 'chain-specs.sh');
  // Run from an unrelated cwd: the script must not depend on it.
  const res = spawnSync('bash', [script, out], {
    cwd: out,
    env: { ...process.env, GPOW_NODE: nodeBinary() },
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(res.status, 0, `scripts/chain-specs.sh failed (status ${res.status}):\n${res.stdout}\n${res.stderr}`);

  for (const file of SPECS) {
    await t.test(file, () => {
      const committedPath = path.join(REPO_ROOT, 'chain-specs', file);
      assert.ok(fs.existsSync(committedPath), `chain-specs/${file} is not committed: ${FIX}`);
      const committed = JSON.parse(fs.readFileSync(committedPath, 'utf8'));
      const generated = JSON.parse(fs.readFileSync(path.join(out, file), 'utf8'));

      const codeCommitted = takeCode(committed, `chain-specs/${file}`);
      const codeGenerated = takeCode(generated, `generated ${file}`);
      for (const [what, code] of [
        ['committed', codeCommitted],
        ['generated', codeGenerated],
      ]) {
        assert.ok(
          typeof code === 'string' && /^0x[0-9a-f]+$/i.test(code) && code.length > 2,
          `${what} ${file}: the runtime code is missing or empty`,
        );
      }

      const diffs = diffPaths(committed, generated);
      assert.deepEqual(
        diffs,
        [],
        `chain-specs/${file} is stale (the runtime Wasm is not compared) — ${FIX}. Differences:\n  ${diffs.join('\n  ')}`,
      );
    });
  }
  fs.rmSync(out, { recursive: true, force: true });
});
