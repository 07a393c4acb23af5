// Governance helpers for the end-to-end tests: proposing through a post, voting, settling and
// waiting for enactment; a snapshot of every governed storage item; the difficulty retarget of
// pallets/difficulty (src/lib.rs, `next_difficulty`) in BigInt arithmetic; and the
// upgrade-rehearsal runtime the runtime's build.rs builds beside the real one.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { TRACKS } from '@gpow/api';
import { hexToU8a } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';

import { eventsAt } from './chain.mjs';
import { nodeBinary, waitForBlock } from './node.mjs';
import { assertOk, eventsNamed, submit } from './reputation.mjs';

/** One GPOW (and one REP): 12 decimals. */
export const UNIT = 10n ** 12n;
/** The tracks of the runtime (runtime/src/governance.rs). */
export const { parameters: PARAMETERS, upgrade: UPGRADE, emergency: EMERGENCY } = TRACKS;

/**
 * Submits extrinsics one signer at a time: each signer's next extrinsic is signed once its
 * previous one is in a block, so concurrent scenarios never race for a nonce.
 */
export class Submitter {
  constructor(api) {
    this.api = api;
    this.queues = new Map();
  }

  /** Resolves with lib/reputation.mjs `submit`'s result (the extrinsic may have failed). */
  send(tx, signer) {
    const prev = this.queues.get(signer.address) ?? Promise.resolve();
    const next = prev.catch(() => {}).then(() => submit(this.api, tx, signer));
    this.queues.set(signer.address, next);
    return next;
  }

  /** Like `send`, and requires success. */
  async ok(tx, signer) {
    return assertOk(await this.send(tx, signer));
  }

  /** A post authored by `author` alone; resolves with its id. */
  async post(author) {
    const hash = blake2AsHex(`gpow e2e post ${author.address} ${Date.now()} ${Math.random()}`);
    const res = await this.ok(this.api.tx.reputation.addPost([[author.address, 1_000_000_000]], hash, []), author);
    return eventsNamed(res.events, 'reputation', 'PostAdded')[0].data[0].toNumber();
  }

  /** Proposes `call` on `track` with a fresh post by `proposer`; resolves with { proposal, pool, post, res }. */
  async propose(proposer, track, call) {
    const post = await this.post(proposer);
    const res = await this.ok(this.api.tx.governance.propose(post, track, call), proposer);
    const [proposed] = eventsNamed(res.events, 'governance', 'Proposed');
    assert.ok(proposed, `no governance.Proposed event for the proposal of post ${post}`);
    return { proposal: proposed.data[0].toNumber(), pool: proposed.data[3].toNumber(), post, res };
  }

  /** Stakes `amount` REP of `who` for (`For`) or against (`Against`) `pool`. */
  stake(who, pool, side, amount) {
    return this.ok(this.api.tx.reputation.stake(pool, side, amount), who);
  }

  /**
   * Waits for the end of `pool`'s window and settles it as `who`; resolves with the governance
   * event of the outcome (`Scheduled`, `Rejected`, `NoQuorum`, ...) and the settlement's result.
   */
  async settle(pool, who) {
    const record = (await this.api.query.reputation.pools(pool)).unwrap();
    await waitForBlock(this.api, record.endsAt.toNumber() - 1);
    const res = await this.ok(this.api.tx.reputation.settle(pool), who);
    const outcome = res.events.map(({ event }) => event).find((e) => e.section === 'governance');
    assert.ok(outcome, `settling pool ${pool} gave no governance event`);
    return { outcome, res };
  }
}

/** The hash of block `n` (waiting for it to be imported first). */
export async function hashOf(api, n) {
  await waitForBlock(api, n);
  return api.rpc.chain.getBlockHash(n);
}

/** The governance events of block `n`. */
export async function governanceEventsAt(api, n) {
  const events = await eventsAt(api, await hashOf(api, n));
  return events.map(({ event }) => event).filter((e) => e.section === 'governance');
}

/**
 * Every governed storage item at block `hash` as a Map from key to value (hex): the difficulty
 * target, the reputation parameter sets, the service types, the runtime parameters, the
 * authorized upgrade and the governance tracks. Keys in `exclude` (storage keys, hex) are left
 * out.
 */
export async function governedState(api, hash, { exclude = [] } = {}) {
  const q = api.query;
  const single = [q.difficulty.targetBlockTime.key(), q.services.nextTypeId.key(), q.system.authorizedUpgrade.key()];
  const prefixes = [
    q.reputation.parameterSets.keyPrefix(),
    q.services.serviceTypes.keyPrefix(),
    q.parameters.parameters.keyPrefix(),
    q.governance.tracks.keyPrefix(),
  ];
  const keys = [...single];
  for (const prefix of prefixes) {
    const found = await api.rpc.state.getKeysPaged(prefix, 1000, undefined, hash);
    keys.push(...found.map((k) => k.toHex()));
  }
  const state = new Map();
  for (const key of keys) {
    if (exclude.includes(key)) continue;
    const value = await api.rpc.state.getStorage(key, hash);
    state.set(key, value.isSome ? value.unwrap().toHex() : null);
  }
  return state;
}

/** The value in effect of the governed runtime parameter `name` at block `hash` (BigInt). */
export async function governedParameter(api, name, hash) {
  const all = await api.rpc.governance.parameters(hash);
  const found = all.find((p) => p.name.toString() === name);
  assert.ok(found, `no governed parameter ${name}`);
  return found.value.toBigInt();
}

// ---- The difficulty retarget (pallets/difficulty/src/lib.rs) ----

const U256_MAX = (1n << 256n) - 1n;
const max = (a, b) => (a > b ? a : b);
const min = (a, b) => (a < b ? a : b);

function damp(actual, goal, factor) {
  const f = BigInt(Math.max(factor, 1));
  return (actual + goal * (f - 1n)) / f;
}

function clamp(actual, goal, factor) {
  const f = BigInt(Math.max(factor, 1));
  return max(goal / f, min(actual, goal * f));
}

/** `next_difficulty(window, target, damp, clamp, minDifficulty)` of the difficulty pallet. */
export function nextDifficulty(window, targetMs, dampFactor, clampFactor, minDifficulty) {
  if (window.length < 2 || targetMs === 0n) return null;
  const entries = BigInt(window.length);
  let timespan = 0n;
  for (let i = 1; i < window.length; i++) {
    const delta = window[i][1] - window[i - 1][1];
    if (delta > 0n) timespan += delta;
  }
  timespan = max(timespan, 1n);
  const goal = (entries - 1n) * targetMs;
  const adjusted = max(clamp(damp(timespan, goal, dampFactor), goal, clampFactor), 1n);
  const diffSum = window.reduce((a, [d]) => a + d, 0n);
  let next = (diffSum * goal) / (entries * adjusted);
  const cf = BigInt(Math.max(clampFactor, 1));
  const mean = diffSum / entries;
  next = max(mean / cf, min(next, mean * cf));
  next = min(next, U256_MAX);
  return max(next, max(minDifficulty, 1n));
}

/** The raw value of `entry` (a storage entry of `api.query`) at block `hash`, decoded as `type`. */
async function rawAt(api, entry, hash, type) {
  return api.registry.createType(type, hexToU8a(await api.rpc.state.getStorage.raw(entry.key(), hash)));
}

/**
 * What the retarget at block `hash` stored against what the model computes from that block's
 * window with `targetMs`: resolves with { stored, expected }. The storage is read raw and
 * decoded with explicit types, so blocks on both sides of a runtime upgrade read alike.
 */
export async function retargetAt(api, hash, targetMs) {
  const d = api.query.difficulty;
  const window = (await rawAt(api, d.pastDifficultiesAndTimestamps, hash, 'Vec<(U256, u64)>')).map(([w, t]) => [
    w.toBigInt(),
    t.toBigInt(),
  ]);
  const stored = (await rawAt(api, d.currentDifficulty, hash, 'U256')).toBigInt();
  const c = api.consts.difficulty;
  const expected = nextDifficulty(
    window,
    BigInt(targetMs),
    c.dampFactor.toNumber(),
    c.clampFactor.toNumber(),
    await governedParameter(api, 'difficulty.MinDifficulty', hash),
  );
  return { stored, expected };
}

// ---- The upgrade-rehearsal runtime ----

/**
 * The upgrade-rehearsal Wasm (the runtime with the next spec version) that runtime/build.rs
 * builds beside the real runtime, in the same target directory as the node binary.
 */
export function rehearsalWasm() {
  const file = path.join(
    path.dirname(nodeBinary()),
    'wbuild',
    'gpow-runtime',
    'wasm_binary_upgrade_rehearsal.rs.compact.compressed.wasm',
  );
  assert.ok(fs.existsSync(file), `the upgrade-rehearsal runtime is missing at ${file}: build the node (runtime/build.rs builds it)`);
  const code = fs.readFileSync(file);
  return { file, code: `0x${code.toString('hex')}`, hash: blake2AsHex(code, 256), bytes: code.length };
}
