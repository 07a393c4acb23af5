// Floods with many senders on the bench chain (`gpow-node --chain bench`): its funded senders,
// transfers signed in advance, a submitter that keeps the transaction pool full within its limits
// (or overruns it on purpose) and sends again what the pool refused, and the extrinsic hashes of a
// block, to find every transfer again.

import { WsProvider } from '@polkadot/api';
import { hexToU8a, u8aConcat } from '@polkadot/util';
import { blake2AsHex, encodeAddress, keyExtractPath } from '@polkadot/util-crypto';
import { sr25519DeriveKeypairHard, sr25519KeypairFromSeed, sr25519Sign, waitReady } from '@polkadot/wasm-crypto';

import { rpcHttp, withTimeout } from './node.mjs';

/** How many senders the bench preset funds (`BENCH_SENDERS` of the runtime's genesis presets). */
export const BENCH_SENDERS = 10_000;

/**
 * The secret URI of bench sender `i`: `{}` replaced by `i` (sr25519, the well-known development
 * phrase with the hard junctions `//Sender//<i>`, pallet-balances' `dev_accounts` default).
 */
export const BENCH_SENDER_URI = '//Sender//{}';

/**
 * The secret seed of the development phrase: `${DEV_SEED}//Sender//${i}` is the same key as
 * `//Sender//${i}`, without the PBKDF2 stretch of the phrase for every key.
 */
export const DEV_SEED = '0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e';

/** JSON-RPC error codes of `author_submitExtrinsic` for a transaction the pool would not take (sc-rpc-api). */
export const POOL_REFUSALS = {
  1012: 'temporarily banned',
  1014: 'priority too low',
  1016: 'immediately dropped (pool full)',
};
/** `author_submitExtrinsic`: the pool already holds this transaction. */
export const ALREADY_IMPORTED = 1013;
/** `author_submitExtrinsic`: the transaction is invalid (for a used nonce: `outdated`). */
export const INVALID = 1010;

/**
 * Bench senders `from` .. `from + count - 1` as signers for polkadot.js (`tx.sign(sender, options)`):
 * `{ address, addressRaw, publicKey, sign }`. They are the keys of `//Sender//<i>`, derived and used
 * through @polkadot/wasm-crypto: @polkadot/keyring's pure-JS sr25519 takes about 2 ms to derive and
 * 1 ms to sign here, four to five times longer, and its `//Sender//<i>` stretches the phrase anew
 * for every key.
 */
export async function benchSenders(count, from = 0) {
  await waitReady();
  const root = sr25519KeypairFromSeed(hexToU8a(DEV_SEED));
  const senders = [];
  for (let i = from; i < from + count; i += 1) {
    let keypair = root;
    for (const junction of keyExtractPath(BENCH_SENDER_URI.replace('{}', i)).path) {
      keypair = sr25519DeriveKeypairHard(keypair, junction.chainCode);
    }
    const secret = keypair.slice(0, 64);
    const publicKey = keypair.slice(64);
    senders.push({
      address: encodeAddress(publicKey, 42),
      addressRaw: publicKey,
      publicKey,
      // `withType`: a MultiSignature, whose variant 1 is sr25519.
      sign: (message, { withType = false } = {}) => {
        const signature = sr25519Sign(publicKey, secret, message);
        return withType ? u8aConcat([1], signature) : signature;
      },
    });
  }
  return senders;
}

/**
 * Signs `balances.transferKeepAlive(dest(s), amount)` from every sender with the nonces
 * `0 .. nonces - 1` (immortal, no tip), nonce-major: every sender's nonce 0, then every nonce 1, ...
 * so that the transfers in the order returned are ready as soon as they arrive. Returns
 * `[{ hex, hash, sender, nonce }]` (`sender`: index in `senders`).
 */
export function presignTransfers(api, senders, { nonces, amount, dest }) {
  const options = {
    blockHash: api.genesisHash,
    genesisHash: api.genesisHash,
    runtimeVersion: api.runtimeVersion,
    signedExtensions: api.registry.signedExtensions,
  };
  const txs = [];
  for (let nonce = 0; nonce < nonces; nonce += 1) {
    for (let s = 0; s < senders.length; s += 1) {
      const tx = api.tx.balances.transferKeepAlive(dest(s), amount).sign(senders[s], { ...options, nonce });
      const hex = tx.toHex();
      txs.push({ hex, hash: blake2AsHex(tx.toU8a()), sender: s, nonce });
    }
  }
  return txs;
}

/**
 * `{ number, hash, extrinsics, timestampMs }` of the block `hash` on `node`: `extrinsics` are the
 * hashes (blake2-256 of the encoded extrinsic, as the pool names them), read from the raw block
 * without decoding it.
 */
export async function blockExtrinsics(node, hash) {
  const { block } = await rpcHttp(node.rpcPort, 'chain_getBlock', [hash]);
  const number = parseInt(block.header.number, 16);
  const now = await node.api.query.timestamp.now.at(hash);
  return { number, hash, extrinsics: block.extrinsics.map((x) => blake2AsHex(x)), timestampMs: now.toNumber() };
}

/** The node's default `--pool-limit`: each view holds this many ready transactions. */
export const DEFAULT_POOL_LIMIT = 8192;

/**
 * Sends pre-signed transactions with `author_submitExtrinsic` as fast as the node takes them, with
 * at most `concurrency` calls in flight, within the limits of a pool started with
 * `--pool-limit poolLimit` (sc-transaction-pool's fork-aware pool):
 *
 * - at most `poolLimit - margin` of them accepted and not yet in a block: a block's view holds
 *   `poolLimit` ready transactions and evicts the oldest beyond it, silently for the sender, and
 *   bans them for `--tx-ban-seconds`; `margin` (default: a block's worth, 1,000) covers a view that
 *   still counts the transactions of a block this flood already saw;
 * - at most `poolLimit + poolLimit / 10` accepted and not yet in a *finalized* block: the pool
 *   keeps a transaction, and counts it against that limit, until its block is final; beyond it,
 *   it refuses new ones with 1016 `Immediately Dropped`, or (while concurrent submissions are still
 *   being validated) replaces those with them.
 *
 * After a refusal it sends nothing until the next finalized block. With `overrun: n`, the first time the second limit is reached the flood sends past it, one at a
 * time, until the pool has refused `n` (`POOL_REFUSALS`). A refused transaction is sent again,
 * first, after the next finalized block. Blocks are followed while it runs: `blocks` lists them with
 * how many of the flood's transactions they hold.
 *
 * `run()` resolves when every transaction is in a block, with `summary()`; it rejects on any other
 * error answer or after `timeoutMs`.
 */
export class Flood {
  constructor(
    node,
    txs,
    { concurrency = 64, poolLimit = DEFAULT_POOL_LIMIT, margin = 1_000, overrun = 0, timeoutMs = 120_000 } = {},
  ) {
    this.node = node;
    this.api = node.api;
    this.txs = txs;
    this.concurrency = concurrency;
    this.readyLimit = poolLimit - margin;
    this.poolLimit = poolLimit + Math.floor(poolLimit / 10);
    this.overrunLeft = overrun;
    this.timeoutMs = timeoutMs;
    this.byHash = new Map(txs.map((tx, i) => [tx.hash, i]));
    /** Per transaction: 'queued' | 'sending' | 'pooled' | 'refused' | 'dropped' | 'stale' | 'included'. */
    this.state = txs.map(() => 'queued');
    this.queue = txs.map((_, i) => i).reverse(); // a stack: pop() takes the first
    this.retry = [];
    this.inFlight = 0;
    this.pending = 0; // accepted, not yet seen in a block
    this.unfinal = 0; // accepted, not yet in a finalized block
    this.included = 0;
    this.accepted = 0;
    /** Refusals by error code, and the first message of every error code. */
    this.refusals = {};
    this.messages = {};
    /** Accepted, then gone from the pool without being included (found so when sent again). */
    this.dropped = 0;
    /** Seen in a second block (must stay 0). */
    this.duplicates = 0;
    /** `[{ number, hash, timestampMs, transfers }]` in the order seen; the last finalized number. */
    this.blocks = [];
    this.finalized = null;
    this._probing = false;
    this._refused = false; // refused since the last finalized block
    this._waiters = [];
    this._failure = null;
  }

  /** Resolves at the next block event (or failure). */
  _nextEvent() {
    return new Promise((resolve) => this._waiters.push(resolve));
  }

  _wake() {
    for (const wake of this._waiters.splice(0)) wake();
  }

  _fail(e) {
    this._failure ??= e;
    this._wake();
  }

  /**
   * A new best block: it and any block the subscription skipped (it reports the best block, not
   * every block) since the last one seen, in order.
   */
  async _onHead(header) {
    const number = header.number.toNumber();
    const from = this.blocks.length ? this.blocks.at(-1).number + 1 : number;
    for (let n = from; n < number; n += 1) {
      await this._onBlock(await rpcHttp(this.node.rpcPort, 'chain_getBlockHash', [n]));
    }
    if (number >= from) await this._onBlock(header.hash.toHex());
  }

  async _onBlock(hash) {
    const block = await blockExtrinsics(this.node, hash);
    let transfers = 0;
    for (const x of block.extrinsics) {
      const i = this.byHash.get(x);
      if (i === undefined) continue;
      transfers += 1;
      if (this.state[i] === 'included') {
        this.duplicates += 1;
        continue;
      }
      if (this.state[i] === 'pooled') this.pending -= 1;
      this.state[i] = 'included';
      this.included += 1;
    }
    this.blocks.push({ number: block.number, hash, timestampMs: block.timestampMs, transfers });
    if (transfers === 0 && this.pending > 0) await this._findDropped();
  }

  /**
   * The newly final blocks free places in the pool; refused and dropped transactions go back to
   * the front of the queue, oldest nonce first.
   */
  _onFinalized(header) {
    const number = header.number.toNumber();
    const from = this.finalized ?? number - 1;
    for (const b of this.blocks) {
      if (b.number > from && b.number <= number) this.unfinal -= b.transfers;
    }
    this.finalized = number;
    this._refused = false;
    this.queue.push(...this.retry.sort((a, b) => b - a));
    this.retry = [];
  }

  /**
   * A block without any of the flood's transactions while some wait: those accepted but no
   * longer in the pool's ready set (`author_pendingExtrinsics`) were dropped after
   * `author_submitExtrinsic` answered; they are sent again (`dropped` counts them).
   */
  async _findDropped() {
    const ready = await this.provider.send('author_pendingExtrinsics', []);
    const inPool = new Set(ready.map((x) => blake2AsHex(x)));
    this.state.forEach((state, i) => {
      if (state === 'pooled' && !inPool.has(this.txs[i].hash)) {
        this.state[i] = 'dropped';
        this.pending -= 1;
        this.unfinal -= 1;
        this.retry.push(i);
      }
    });
  }

  async _send(i) {
    const tx = this.txs[i];
    const wasDropped = this.state[i] === 'dropped';
    this.state[i] = 'sending';
    this.inFlight += 1;
    try {
      await this.provider.send('author_submitExtrinsic', [tx.hex]);
      this.accepted += 1;
      if (wasDropped) this.dropped += 1;
    } catch (e) {
      const code = e.code ?? 'none';
      this.messages[code] ??= e.message;
      if (wasDropped && code !== ALREADY_IMPORTED) this.dropped += 1;
      if (POOL_REFUSALS[code]) {
        this.refusals[code] = (this.refusals[code] ?? 0) + 1;
        this.state[i] = 'refused';
        this.retry.push(i);
        // The pool frees places a little after the finality notification: wait for the next.
        this._refused = true;
        return false;
      }
      if (code === INVALID && /outdated|stale/i.test(e.message)) {
        // Its nonce is used: taken for dropped while the block that holds it was on its way.
        // The blocks tell.
        if (this.state[i] === 'sending') this.state[i] = 'stale';
        return true;
      }
      // ALREADY_IMPORTED: it was in the pool after all (not ready yet when the pool was asked).
      if (code !== ALREADY_IMPORTED) {
        throw new Error(`author_submitExtrinsic of ${tx.hash} (sender ${tx.sender}, nonce ${tx.nonce}): ${e.message}`);
      }
    } finally {
      this.inFlight -= 1;
    }
    this.unfinal += 1;
    // The block that holds it may have been seen before the answer.
    if (this.state[i] === 'sending') {
      this.state[i] = 'pooled';
      this.pending += 1;
    }
    return true;
  }

  async _worker() {
    while (!this._failure && this.included < this.txs.length) {
      const full =
        this._refused ||
        this.pending + this.inFlight >= this.readyLimit ||
        this.unfinal + this.inFlight >= this.poolLimit;
      const probe = full && this.overrunLeft > 0 && !this._probing && this.pending + this.inFlight < this.readyLimit;
      if (this.queue.length === 0 || (full && !probe)) {
        await this._nextEvent();
        continue;
      }
      const i = this.queue.pop();
      // Taken for dropped while the block that holds it was on its way.
      if (this.state[i] === 'included') continue;
      if (probe) {
        this._probing = true;
        if (!(await this._send(i).finally(() => (this._probing = false)))) this.overrunLeft -= 1;
      } else {
        await this._send(i);
      }
    }
  }

  async run() {
    this.provider = new WsProvider(this.node.wsUrl, false);
    await this.provider.connect();
    await this.provider.isReady;
    // One block event at a time, in the order they came.
    let events = Promise.resolve();
    const handle = (f) => (header) => {
      events = events
        .then(() => f.call(this, header))
        .then(() => this._wake())
        .catch((e) => this._fail(e));
    };
    const unsubs = [
      await this.api.rpc.chain.subscribeNewHeads(handle(this._onHead)),
      await this.api.rpc.chain.subscribeFinalizedHeads(handle(this._onFinalized)),
    ];
    this.startMs = Date.now();
    try {
      const workers = Array.from({ length: this.concurrency }, () => this._worker().catch((e) => this._fail(e)));
      await withTimeout(Promise.all(workers), this.timeoutMs, `${this.txs.length} transactions in blocks`).catch((e) => {
        throw new Error(`${e.message}; ${this.progress()}`);
      });
      if (this._failure) throw this._failure;
      this.endMs = Date.now();
      return this.summary();
    } finally {
      for (const unsub of unsubs) unsub();
      await this.provider.disconnect().catch(() => {});
    }
  }

  /** One line on where the flood stands, for error messages. */
  progress() {
    const states = {};
    for (const state of this.state) states[state] = (states[state] ?? 0) + 1;
    const { pending, unfinal, inFlight, finalized, overrunLeft } = this;
    const queued = this.queue.length;
    const retry = this.retry.length;
    return JSON.stringify({ states, pending, unfinal, inFlight, queued, retry, overrunLeft, finalized, refusals: this.refusals });
  }

  /** What happened so far: counts, refusals by code, the blocks that hold the flood's transactions. */
  summary() {
    return {
      txs: this.txs.length,
      accepted: this.accepted,
      included: this.included,
      refusals: { ...this.refusals },
      dropped: this.dropped,
      duplicates: this.duplicates,
      notIncluded: this.state.filter((s) => s !== 'included').length,
      blocks: this.blocks.filter((b) => b.transfers > 0),
    };
  }
}
