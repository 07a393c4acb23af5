// A network of gpow-node processes on 127.0.0.1 for the end-to-end tests, on top of lib/node.mjs:
// every member has a fixed node key (so its peer id is known before it starts), fixed p2p and RPC
// ports and its own base path, and runs with `--reserved-only`, the other members as reserved
// peers and `--rpc-methods unsafe`. Links are cut and restored at runtime through
// `system_removeReservedPeer` / `system_addReservedPeer` (with `--in-peers 0 --out-peers 0`, so a
// peer removed from the reserved set has no regular slot to stay in and is really disconnected),
// members are crashed with SIGKILL and started again on the same base path, and late joiners are
// members started later.
//
// Every process started through `withNet` is checked when the network stops, as `withNode` checks
// one node: exit on SIGINT within 20 s with status 0 and no `panicked at` in its log. Only runs
// ended on purpose with `net.kill(i)` are exempt from the exit check (their logs are still checked
// for panics). Each member has one log file for all its runs; the paths are printed as test
// diagnostics and, on a failure, with the last lines of every log.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { hexToU8a, u8aConcat } from '@polkadot/util';
import { base58Encode, cryptoWaitReady, ed25519PairFromSeed, encodeAddress } from '@polkadot/util-crypto';

import { GpowNode, RPC_READY_TIMEOUT_MS, freePorts, rpcRaw, runBinary, sleep, tail, tmpDir } from './node.mjs';

/** The libp2p peer id (`12D3KooW...`) of an ed25519 node key given as 32 bytes of hex. */
export async function peerIdOf(nodeKeyHex) {
  await cryptoWaitReady();
  const { publicKey } = ed25519PairFromSeed(hexToU8a(`0x${nodeKeyHex.replace(/^0x/, '')}`));
  // identity multihash (0x00, length 36) of the protobuf PublicKey { Type: Ed25519 (1), Data }.
  return base58Encode(u8aConcat(new Uint8Array([0x00, 36, 0x08, 0x01, 0x12, 32]), publicKey));
}

/** Polls `fn` until it returns a truthy value (returned) or `timeoutMs` passes (throws). */
export async function waitUntil(fn, timeoutMs, what, intervalMs = 200) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
    }
    await sleep(intervalMs);
  }
}

/**
 * A raw chain spec file made from `build-spec --chain dev` with other genesis values of the
 * difficulty pallet, e.g. `{ targetBlockTime: 100, initialDifficulty: 1000 }` for a chain that
 * mines about ten blocks a second (the runtime's timestamp moves at least 100 ms a block). The
 * chain type stays `Development` (confirmation depth 10), so miners need `--mine --author`.
 */
export async function devSpecWith({ targetBlockTime, initialDifficulty, id = 'gpow_net' }, dir = tmpDir('spec')) {
  const plain = await editedDevSpec(path.join(dir, `${id}-plain.json`), (spec, genesis) => {
    assert.ok(genesis?.difficulty, 'build-spec: no difficulty genesis config in the dev spec');
    if (targetBlockTime !== undefined) genesis.difficulty.targetBlockTime = targetBlockTime;
    if (initialDifficulty !== undefined) genesis.difficulty.initialDifficulty = initialDifficulty;
    spec.id = id;
    spec.bootNodes = [];
    spec.name = `GPoW ${id}`;
  });
  // Raw: a node started on a plain spec builds the genesis state again at every start (about 4 s
  // here); on the raw one a restart answers RPC in well under a second.
  const raw = await runBinary(['build-spec', '--chain', plain, '--raw'], { name: 'build-spec-raw' });
  assert.equal(raw.code, 0, `build-spec --raw failed; log: ${raw.logPath}`);
  const file = path.join(dir, `${id}.json`);
  fs.writeFileSync(file, raw.stdout);
  return file;
}

/**
 * Writes to `file` the plain chain spec of `build-spec --chain dev` after `edit(spec, genesis)`
 * changed it in place (`genesis`: the runtime genesis patch); returns `file`.
 */
export async function editedDevSpec(file, edit) {
  const res = await runBinary(['build-spec', '--chain', 'dev'], { name: 'build-spec' });
  assert.equal(res.code, 0, `build-spec failed; log: ${res.logPath}`);
  const spec = JSON.parse(res.stdout);
  edit(spec, spec.genesis.runtimeGenesis.patch ?? spec.genesis.runtimeGenesis.config);
  fs.writeFileSync(file, JSON.stringify(spec));
  return file;
}

/** The account id (SS58) in a block's `PreRuntime(pow_)` digest: the miner the reward went to. */
export function authorOf(header) {
  for (const log of header.digest.logs) {
    if (log.isPreRuntime) {
      const [engine, data] = log.asPreRuntime;
      if (engine.toString() === 'pow_' && data.length === 32) return encodeAddress(data, 42);
    }
  }
  return null;
}

/**
 * A network of members 0..n-1. Create it with `Net.create(opts)` (nothing runs yet), then
 * `start(i)`; `withNet` does both and checks every process at the end.
 *
 * opts:
 *  - name: prefix of the log files and base paths
 *  - members: [{ author?: SS58 (mines with --mine --author), threads?: 1, extraArgs?: [],
 *    start?: true }], one per member; a member without author runs with --no-mine
 *  - chainArgs: default ['--dev']; e.g. ['--chain', specFile]
 *  - extraArgs: flags for every member (e.g. ['--confirmation-depth', '5'])
 */
export class Net {
  static async create({ name = 'net', members, chainArgs = ['--dev'], extraArgs = [] }) {
    assert.ok(members.length >= 2, 'a network needs at least two members');
    const net = new Net();
    net.name = name;
    net.chainArgs = chainArgs;
    net.extraArgs = extraArgs;
    net.dir = tmpDir(name);
    const ports = await freePorts(members.length * 2);
    net.members = await Promise.all(
      members.map(async (m, i) => {
        const key = randomBytes(32).toString('hex');
        return {
          index: i,
          ...m,
          key,
          peerId: await peerIdOf(key),
          p2pPort: ports[2 * i],
          rpcPort: ports[2 * i + 1],
          basePath: path.join(net.dir, `node${i}`),
          logPath: path.join(net.dir, `node${i}.log`),
          node: null, // the running GpowNode
          runs: [], // every GpowNode this member ran, in order
        };
      }),
    );
    net.cut = new Set(); // "i-j" (i < j): links cut by a partition
    return net;
  }

  get size() {
    return this.members.length;
  }

  /** The running GpowNode of member i (throws when it is down). */
  node(i) {
    const n = this.members[i].node;
    assert.ok(n, `member ${i} of ${this.name} is not running`);
    return n;
  }

  api(i) {
    return this.node(i).api;
  }

  isUp(i) {
    return this.members[i].node !== null && !this.members[i].node.exit;
  }

  multiaddr(i) {
    const m = this.members[i];
    return `/ip4/127.0.0.1/tcp/${m.p2pPort}/p2p/${m.peerId}`;
  }

  linked(i, j) {
    return i !== j && !this.cut.has(i < j ? `${i}-${j}` : `${j}-${i}`);
  }

  /**
   * Raw JSON-RPC (HTTP) to member i; throws on an error answer. A call that gets no answer (a
   * busy machine: each try times out after 10 s) is tried again for up to `retryMs` while the
   * member runs.
   */
  async rpc(i, method, params = [], { retryMs = 30_000 } = {}) {
    const deadline = Date.now() + retryMs;
    for (;;) {
      let answer;
      try {
        answer = await rpcRaw(this.members[i].rpcPort, method, params);
      } catch (e) {
        if (Date.now() >= deadline || !this.isUp(i)) throw new Error(`member ${i}: ${method}: ${e.message}`);
        await sleep(200);
        continue;
      }
      if (answer.error) throw new Error(`member ${i}: ${method}: ${JSON.stringify(answer.error)}`);
      return answer.result;
    }
  }

  /**
   * Starts member i on its base path (again, after a stop or a kill), with the members it is
   * linked to as reserved peers, and connects @polkadot/api unless `connect` is false.
   */
  async start(i, { connect = true } = {}) {
    const m = this.members[i];
    assert.ok(!this.isUp(i), `member ${i} is already running`);
    const reserved = this.members.filter((o) => this.linked(i, o.index)).map((o) => this.multiaddr(o.index));
    const node = await GpowNode.start({
      name: `${this.name}-${i}`,
      chainArgs: this.chainArgs,
      basePath: m.basePath,
      rpcPort: m.rpcPort,
      p2pPort: m.p2pPort,
      logPath: m.logPath,
      // Plain TCP (without --listen-addr only --dev and authority nodes do), as the reserved
      // peers' addresses say.
      listenAddr: `/ip4/127.0.0.1/tcp/${m.p2pPort}`,
      author: m.author ?? null,
      miningThreads: m.author ? (m.threads ?? 1) : null,
      extraArgs: [
        '--node-key', m.key,
        '--name', `${this.name}-${i}`,
        '--rpc-methods', 'unsafe',
        '--reserved-only',
        '--in-peers', '0',
        '--out-peers', '0',
        ...(reserved.length ? ['--reserved-nodes', ...reserved] : []),
        ...(m.author ? ['--mine'] : ['--no-mine']),
        ...this.extraArgs,
        ...(m.extraArgs ?? []),
      ],
    });
    m.node = node;
    m.runs.push(node);
    // Polled every 50 ms (not GpowNode's 500 ms): restart times are measured from here.
    const up = await waitUntil(
      async () => node.exit ?? (await rpcRaw(m.rpcPort, 'system_health')).result,
      RPC_READY_TIMEOUT_MS,
      `member ${i}'s RPC`,
      50,
    );
    assert.ok(!node.exit, `member ${i} exited (${JSON.stringify(up)}) before its RPC answered; log: ${m.logPath}`);
    if (connect) await node.connect();
    return node;
  }

  /** Peer ids member i is connected to (sync peers, `system_peers`). */
  async peersOf(i) {
    return (await this.rpc(i, 'system_peers')).map((p) => p.peerId);
  }

  /** Waits until every running member is connected to exactly the running members it is linked to. */
  async waitForLinks(timeoutMs = 30_000) {
    const up = this.members.filter((m) => this.isUp(m.index));
    await waitUntil(
      async () => {
        for (const m of up) {
          const peers = new Set(await this.peersOf(m.index));
          for (const o of up) {
            if (o.index === m.index) continue;
            if (this.linked(m.index, o.index) !== peers.has(o.peerId)) return false;
          }
        }
        return true;
      },
      timeoutMs,
      `the links of ${this.name} (cut: ${[...this.cut].join(', ') || 'none'})`,
    );
  }

  async _setLink(i, j, up) {
    for (const [a, b] of [[i, j], [j, i]]) {
      if (!this.isUp(a)) continue;
      if (up) await this.rpc(a, 'system_addReservedPeer', [this.multiaddr(b)]);
      else await this.rpc(a, 'system_removeReservedPeer', [this.members[b].peerId]);
    }
  }

  /**
   * Cuts every link between the groups (arrays of member indexes) on both sides and waits until
   * the peers are really disconnected.
   */
  async partition(groupA, groupB) {
    for (const i of groupA) {
      for (const j of groupB) {
        this.cut.add(i < j ? `${i}-${j}` : `${j}-${i}`);
        await this._setLink(i, j, false);
      }
    }
    await this.waitForLinks();
  }

  /** Restores every cut link and waits until the running members are connected again. */
  async heal({ wait = true } = {}) {
    const cut = [...this.cut];
    this.cut.clear();
    for (const c of cut) {
      const [i, j] = c.split('-').map(Number);
      await this._setLink(i, j, true);
    }
    if (wait) await this.waitForLinks();
  }

  /** SIGKILL of member i (a crash); its run is exempt from the clean-exit check. */
  async kill(i) {
    const node = this.node(i);
    const res = await node.kill();
    this.members[i].node = null;
    return res;
  }

  /** SIGINT of member i; asserts the clean exit (status 0 within 20 s, no panic). */
  async stop(i) {
    const node = this.node(i);
    this.members[i].node = null;
    return node.stopAndCheck();
  }

  /** Stops (cleanly) and starts member i again on its base path. */
  async restart(i, opts) {
    if (this.isUp(i)) await this.stop(i);
    return this.start(i, opts);
  }

  /** `{ number, hash }` of the best and the finalized block of member i. */
  async heads(i) {
    const [bestHash, finHash] = await Promise.all([this.rpc(i, 'chain_getBlockHash'), this.rpc(i, 'chain_getFinalizedHead')]);
    const [best, fin] = await Promise.all([
      this.rpc(i, 'chain_getHeader', [bestHash]),
      this.rpc(i, 'chain_getHeader', [finHash]),
    ]);
    return {
      best: { number: parseInt(best.number, 16), hash: bestHash },
      finalized: { number: parseInt(fin.number, 16), hash: finHash },
    };
  }

  /** The hash member i has at height n on its best chain (null when it has none). */
  async hashAt(i, n) {
    return (await this.rpc(i, 'chain_getBlockHash', [n])) ?? null;
  }

  /**
   * `gpow-node check-block` of `hash` on member i's base path (run it while the member is down);
   * resolves with the result of `runBinary`.
   */
  checkBlock(i, hash) {
    return runBinary(['check-block', ...this.chainArgs, '--base-path', this.members[i].basePath, hash], {
      name: `${this.name}-${i}-check-block`,
    });
  }

  /** Stops every running member with SIGINT; returns the errors of the clean-exit checks. */
  async stopAll() {
    const errors = [];
    await Promise.all(
      this.members.map(async (m) => {
        if (!m.node) return;
        const node = m.node;
        m.node = null;
        try {
          await node.stopAndCheck();
        } catch (e) {
          errors.push(new Error(`member ${m.index}: ${e.message}`));
        }
      }),
    );
    for (const m of this.members) {
      for (const run of m.runs) {
        if (run.hasPanicked()) errors.push(new Error(`member ${m.index} panicked; log: ${m.logPath}`));
      }
    }
    return errors;
  }

  /** Logs of every member, for a failure report. */
  report(t, err) {
    const parts = [`--- ${t.name}: failure in network ${this.name}${err ? `: ${err.stack || err}` : ''}`];
    for (const m of this.members) {
      const last = m.runs.at(-1);
      if (!last) continue;
      parts.push(`--- member ${m.index} (${m.author ? `miner ${m.author}` : 'full node'}), log ${m.logPath}:`, tail(last.log, 25));
    }
    console.error(parts.join('\n'));
  }
}

/**
 * Creates a network, starts the members whose `start` is not false (in parallel), waits for
 * their links, runs `fn(net)`, then stops every running member and checks every run. The log
 * paths are printed as test diagnostics.
 */
export async function withNet(t, opts, fn) {
  const net = await Net.create(opts);
  for (const m of net.members) {
    t.diagnostic(`${net.name} member ${m.index}${m.author ? ` (miner ${m.author})` : ''}: rpc ${m.rpcPort}, log ${m.logPath}`);
  }
  let error = null;
  try {
    await Promise.all(net.members.filter((m) => m.start !== false).map((m) => net.start(m.index)));
    await net.waitForLinks(60_000);
    await fn(net);
  } catch (e) {
    error = e;
  }
  const stopErrors = await net.stopAll();
  if (error || stopErrors.length) net.report(t, error || stopErrors[0]);
  if (error && stopErrors.length) {
    throw new AggregateError([error, ...stopErrors], `${error.message}\nand when stopping: ${stopErrors.map((e) => e.message).join('; ')}`);
  }
  if (error) throw error;
  if (stopErrors.length) throw stopErrors[0];
  // The logs stay; the chains go.
  for (const m of net.members) fs.rmSync(m.basePath, { recursive: true, force: true, maxRetries: 3 });
  return net;
}
