// Helpers for tests of external mining: find the gpow-miner binary, run it against a node, and
// speak the mining_* JSON-RPC methods directly (shares found here with the same work function:
// blake2_256(preHash ++ nonce_le) read big-endian, meeting difficulty d iff work * d <= 2^256 - 1).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { hexToU8a, u8aConcat } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';

import { LoggedProcess, rpcRaw } from './node.mjs';
import { U256_MAX, beBytesToBigInt, bigIntToLeBytes } from './seal.mjs';

/** The error codes of the mining_* methods (client/mining/src/error.rs). */
export const MINING_ERRORS = {
  NotMining: 9200,
  NoWork: 9201,
  BadWorker: 9202,
  TooManyWorkers: 9203,
  UnknownWorker: 9204,
  UnknownJob: 9205,
  Stale: 9206,
  Duplicate: 9207,
  LowWork: 9208,
  OutOfRange: 9209,
  BadNonce: 9210,
  JobFull: 9211,
};

/** The gpow-miner binary: `$GPOW_MINER`, else the one beside gpow-node in the target directory. */
export function minerBinary() {
  if (process.env.GPOW_MINER) return process.env.GPOW_MINER;
  const target = process.env.CARGO_TARGET_DIR || path.join(os.homedir(), '.cache', 'gpow', 'target');
  return path.join(target, 'release', 'gpow-miner');
}

/** Fails early, with a useful message, when the binary is missing. */
export function assertMinerExists() {
  const bin = minerBinary();
  assert.ok(fs.existsSync(bin), `gpow-miner binary not found at ${bin}: build it (cargo build --release -p gpow-miner) or set GPOW_MINER`);
  return bin;
}

/**
 * Starts gpow-miner with `args`; its output goes to `logPath` and `miner.log`.
 * `miner.exited` resolves with { code, signal } once the log file is closed.
 */
export function startMiner(args, logPath) {
  const miner = new LoggedProcess('gpow-miner', args, logPath).spawn(assertMinerExists());
  miner.exited = miner.exited.finally(() => new Promise((resolve) => miner._logFile.end(resolve)));
  return miner;
}

/** Runs gpow-miner to its exit (killed after `timeoutMs`); resolves with { code, signal, log }. */
export async function runMiner(args, logPath, timeoutMs = 30_000) {
  const miner = startMiner(args, logPath);
  const timer = setTimeout(() => miner.child.kill('SIGKILL'), timeoutMs);
  const exit = await miner.exited;
  clearTimeout(timer);
  return { ...exit, log: miner.log };
}

/** A mining_* call: resolves with { result } or { error } ({ code, message, data }). */
export function miningCall(port, method, params = []) {
  return rpcRaw(port, `mining_${method}`, params);
}

/** Whether `nonce` (BigInt) over `preHash` (hex) meets `difficulty` (BigInt). */
export function nonceMeets(preHash, nonce, difficulty) {
  const work = beBytesToBigInt(blake2AsU8a(u8aConcat(hexToU8a(preHash), bigIntToLeBytes(nonce, 8)), 256));
  return work * difficulty <= U256_MAX;
}

/**
 * The first nonce of `job`'s range from `from` whose work meets (or, with `meets: false`, fails)
 * the share difficulty, or null when `budgetMs` runs out first. One reused input buffer and a
 * check of the work's top 64 bits first keep this at a few hundred thousand hashes a second.
 */
export function findNonce(job, { meets = true, from = BigInt(job.nonceStart), budgetMs = 1_000 } = {}) {
  const target = U256_MAX / BigInt(job.shareDifficulty); // work meets iff work <= target
  const targetTop = target >> 192n;
  const input = new Uint8Array(40);
  input.set(hexToU8a(job.preHash));
  const view = new DataView(input.buffer);
  const deadline = Date.now() + budgetMs;
  for (let nonce = from; nonce <= BigInt(job.nonceEnd); nonce++) {
    view.setBigUint64(32, nonce, true);
    const work = blake2AsU8a(input, 256);
    const top = new DataView(work.buffer, work.byteOffset, 8).getBigUint64(0, false);
    const ok = top < targetTop || (top === targetTop && beBytesToBigInt(work) <= target);
    if (ok === meets) return nonce;
    if ((nonce & 0x3ffn) === 0n && Date.now() > deadline) return null;
  }
  return null;
}
