// SSK helpers for the end-to-end tests: the gpow-ssk tool and an @polkadot/api connection that
// knows the ssk_* RPC methods. The envelope format in JavaScript (on @hpke/core, an RFC 9180
// implementation independent of the Rust one) is the package's: `@gpow/api` (js/src/ssk-envelope.mjs).

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { sskApiOptions } from '@gpow/api';

/** The gpow-ssk tool: `$GPOW_SSK`, else `${CARGO_TARGET_DIR:-$HOME/.cache/gpow/target}/release/gpow-ssk`. */
export function sskBinary() {
  if (process.env.GPOW_SSK) return process.env.GPOW_SSK;
  const target = process.env.CARGO_TARGET_DIR || path.join(os.homedir(), '.cache', 'gpow', 'target');
  return path.join(target, 'release', 'gpow-ssk');
}

/** Fails early, with a useful message, when the tool is missing. */
export function assertSskBinaryExists() {
  const bin = sskBinary();
  if (!fs.existsSync(bin)) {
    throw new Error(`gpow-ssk not found at ${bin}: build it (cargo build --release --workspace) or set GPOW_SSK`);
  }
  return bin;
}

/**
 * Runs gpow-ssk with `args` (and `input` on its standard input). Resolves with
 * { code, stdout, stderr } (stdout as a Buffer); never rejects on a non-zero exit.
 */
export function runSsk(args, { input = null, timeoutMs = 60_000 } = {}) {
  const bin = assertSskBinaryExists();
  return new Promise((resolve, reject) => {
    const child = execFile(
      bin,
      args,
      { encoding: 'buffer', timeout: timeoutMs, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`gpow-ssk ${args.join(' ')}: ${error.message}; stderr: ${stderr}`));
          return;
        }
        resolve({ code: error ? error.code : 0, stdout, stderr: stderr.toString() });
      },
    );
    child.stdin.end(input ?? undefined);
  });
}

/** Runs gpow-ssk and requires success; resolves with its standard output as text. */
export async function ssk(args, opts) {
  const res = await runSsk(args, opts);
  if (res.code !== 0) throw new Error(`gpow-ssk ${args[0]} failed (exit ${res.code}): ${res.stderr}`);
  if (res.stderr.includes('panicked')) throw new Error(`gpow-ssk ${args[0]} panicked: ${res.stderr}`);
  return res.stdout.toString();
}

/** A fresh temporary directory for key files. */
export function sskTmpDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gpow-e2e-ssk-'));
}

/** Waits for the node's RPC and connects an ApiPromise that knows `api.rpc.ssk.*` (stored as node.api). */
export function connectWithSsk(node) {
  return node.connect(sskApiOptions);
}
