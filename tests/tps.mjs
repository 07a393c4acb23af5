// Throughput of a chain under a flood of pre-signed transfers: not part of the test suite (`npm
// test` runs `*.test.mjs` only); `bash scripts/tps.sh` starts the nodes and runs this.
//
//   node tps.mjs measure --url ws://127.0.0.1:PORT --label gpow [--senders N] [--nonces K]
//                        [--log NODE_LOG] [--out RESULT.json] [--pool-limit N]
//   node tps.mjs fund-spec --in PLAIN_SPEC.json --out SPEC.json [--senders N]
//   node tps.mjs table RESULT.json...
//
// `measure` refuses a chain whose `system_chainType` is not Development or Local (it signs with the
// well-known development keys), and one whose first sender has no funds. It derives the bench
// senders `//Sender//<i>` (lib/flood.mjs), signs `balances.transferKeepAlive` from each of them with
// the nonces 0 .. K-1 before sending anything, then sends them with `author_submitExtrinsic` as fast
// as the pool takes them (lib/flood.mjs's `Flood`: within the pool's limits, refusals 1012 / 1014 /
// 1016 are sent again as blocks become final). A block is *full* when the pool still held accepted
// transfers of the flood after it (the chain, not the sender, ended it), except the first block with
// transfers (proposed while the flood was starting); the window runs from the first full block to
// the last one. Sustained TPS = transfers in the window / (timestamp of its last
// block - timestamp of the block before its first). Block times are the timestamp differences of
// the window's blocks. With `--log`, the proposer's reason for ending each block of the window
// (`HitDeadline`, `HitBlockWeightLimit`, ...) is read from the node's log. A node that cannot keep
// up, or a flood that times out, still gives the numbers of the blocks seen.
//
// `fund-spec` adds the senders, 1,000 units each, to `balances.balances` of a plain chain spec
// whose genesis is a `runtimeGenesis.patch` (the polkadot-sdk solochain template's `build-spec`).
//
// `table` prints the results side by side and, for the first two, the ratio of their TPS.

import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';

import { ApiPromise, WsProvider } from '@polkadot/api';

import { BENCH_SENDERS, DEFAULT_POOL_LIMIT, Flood, benchSenders, presignTransfers } from './lib/flood.mjs';
import { rpcHttp, withTimeout } from './lib/node.mjs';
import { blockExecution } from './lib/reexecute.mjs';

/** What each transfer moves: 1 unit of 12 decimals, to the next sender. */
const AMOUNT = 10n ** 12n;
/** What `fund-spec` gives each sender: 1,000 units (within u64 for the JSON number). */
const FUND = 1_000n * 10n ** 12n;
/** The chain types the harness signs on with well-known keys. */
const DEV_CHAIN_TYPES = ['Development', 'Local'];
/** Fewer full blocks than this make a window too short to call the rate sustained. */
const MIN_FULL_BLOCKS = 10;

const [command, ...rest] = process.argv.slice(2);
const { values, positionals } = parseArgs({
  args: rest,
  allowPositionals: true,
  options: {
    url: { type: 'string' },
    label: { type: 'string', default: 'chain' },
    senders: { type: 'string', default: String(BENCH_SENDERS) },
    nonces: { type: 'string', default: '3' },
    log: { type: 'string' },
    out: { type: 'string' },
    in: { type: 'string' },
    'pool-limit': { type: 'string', default: String(DEFAULT_POOL_LIMIT) },
    'timeout-s': { type: 'string', default: '900' },
  },
});

function die(message) {
  console.error(`tps: ${message}`);
  process.exit(2);
}

function loadAverage() {
  return fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
}

/** Keeps, per block, how many accepted transfers were still waiting after it, and when it came. */
class MeasuredFlood extends Flood {
  async _onBlock(hash) {
    await super._onBlock(hash);
    const block = this.blocks.at(-1);
    block.waitingAfter = this.pending;
    block.seenMs = Date.now();
  }
}

/**
 * The proposer's last proposal for each block of `blocks` (`🎁 Prepared block for proposing at N
 * (T ms) hash: H; parent_hash: P; end: REASON; extrinsics_count: C`), matched by number, parent and
 * extrinsic count: `{ number: { ms, end } }`. A mining node proposes anew for every new template,
 * so the last match wins.
 */
function proposals(logPath, blocks) {
  const re = /Prepared block for proposing at (\d+) \((\d+) ms\).*?parent_hash: (0x[0-9a-f]+)…([0-9a-f]+); end: (\w+); extrinsics_count: (\d+)/;
  const found = {};
  const want = new Map(blocks.map((b) => [b.number, b]));
  for (const line of fs.readFileSync(logPath, 'utf8').split('\n')) {
    const m = line.match(re);
    if (!m) continue;
    const b = want.get(Number(m[1]));
    if (!b || Number(m[6]) !== b.extrinsicsCount) continue;
    if (!b.parentHash.startsWith(m[3]) || !b.parentHash.endsWith(m[4])) continue;
    found[b.number] = { ms: Number(m[2]), end: m[5] };
  }
  return found;
}

async function measure() {
  if (!values.url) die('measure wants --url ws://127.0.0.1:PORT');
  const url = new URL(values.url);
  if (!['127.0.0.1', 'localhost'].includes(url.hostname) || !url.port) {
    die(`--url ${values.url}: a node on this machine, ws://127.0.0.1:PORT (the harness reads blocks over HTTP on the same port)`);
  }
  const rpcPort = Number(url.port);
  const senderCount = Number(values.senders);
  const nonces = Number(values.nonces);
  if (!(senderCount >= 2 && senderCount <= BENCH_SENDERS)) die(`--senders between 2 and ${BENCH_SENDERS}`);
  if (!(nonces >= 1)) die('--nonces at least 1');

  const [chainType, chainName, nodeName, nodeVersion] = await Promise.all(
    ['system_chainType', 'system_chain', 'system_name', 'system_version'].map((m) => rpcHttp(rpcPort, m)),
  );
  const type = typeof chainType === 'string' ? chainType : Object.keys(chainType)[0];
  if (!DEV_CHAIN_TYPES.includes(type)) {
    die(
      `refusing to run against "${chainName}" (chain type ${JSON.stringify(chainType)}): the harness signs with ` +
        `the well-known development keys //Sender//<i>, so it only runs on a chain of type ${DEV_CHAIN_TYPES.join(' or ')} ` +
        '(gpow-node --chain bench, a template dev chain)',
    );
  }

  const provider = new WsProvider(values.url, 2_500, {}, 120_000);
  const api = await withTimeout(
    ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true }),
    120_000,
    `@polkadot/api to connect to ${values.url}`,
  );
  const node = { api, rpcPort, wsUrl: values.url };
  try {
    let t0 = Date.now();
    const senders = await benchSenders(senderCount);
    const deriveMs = Date.now() - t0;
    const [first] = await api.query.system.account.multi([senders[0].address]);
    const free = first.data.free.toBigInt();
    if (free < BigInt(nonces) * AMOUNT * 2n) {
      die(
        `sender //Sender//0 (${senders[0].address}) holds ${free} on "${chainName}": the senders are not funded ` +
          '(gpow-node --chain bench funds them; for another chain use `tps.mjs fund-spec`)',
      );
    }
    const startNonce = first.nonce.toNumber();
    if (startNonce !== 0) die(`sender //Sender//0 has nonce ${startNonce}: run on a fresh chain (--tmp)`);

    t0 = Date.now();
    const txs = presignTransfers(api, senders, {
      nonces,
      amount: AMOUNT,
      dest: (s) => senders[(s + 1) % senderCount].address,
    });
    const signMs = Date.now() - t0;
    console.log(
      `${values.label}: "${chainName}" (${type}), ${nodeName} ${nodeVersion}; ${senderCount} senders derived in ` +
        `${deriveMs} ms, ${txs.length} transfers signed in ${signMs} ms`,
    );

    const loads = [loadAverage()];
    const loadTimer = setInterval(() => loads.push(loadAverage()), 5_000);
    const flood = new MeasuredFlood(node, txs, {
      poolLimit: Number(values['pool-limit']),
      timeoutMs: Number(values['timeout-s']) * 1000,
    });
    let error = null;
    try {
      await flood.run();
    } catch (e) {
      error = e.message;
      console.error(`${values.label}: the flood ended early: ${error}`);
    } finally {
      clearInterval(loadTimer);
      loads.push(loadAverage());
    }
    const result = await summarize(api, rpcPort, flood, { chainName, nodeName, nodeVersion, senderCount, nonces, error, loads });
    printResult(result);
    if (values.out) fs.writeFileSync(values.out, `${JSON.stringify(result, null, 1)}\n`);
  } finally {
    await api.disconnect().catch(() => {});
  }
}

/** Per-block numbers, the full-block window, TPS and block times. */
async function summarize(api, rpcPort, flood, meta) {
  const blocks = flood.blocks;
  // Every block with flood transfers, and the extrinsic counts and parents the log matching needs.
  for (const b of blocks) {
    const { block } = await rpcHttp(rpcPort, 'chain_getBlock', [b.hash]);
    b.extrinsicsCount = block.extrinsics.length;
    b.parentHash = block.header.parentHash;
  }
  const withTransfers = blocks.filter((b) => b.transfers > 0);
  // The first block with transfers was proposed while the flood was starting: it is never full.
  const start = blocks.indexOf(withTransfers[0]);
  const full = blocks.map((b, i) => (i > start && b.transfers > 0 && b.waitingAfter > 0 ? i : -1)).filter((i) => i >= 0);
  const result = {
    label: values.label,
    ...meta,
    transfers: flood.txs.length,
    included: flood.included,
    accepted: flood.accepted,
    refusals: { ...flood.refusals },
    refusalMessages: { ...flood.messages },
    dropped: flood.dropped,
    floodMs: (flood.endMs ?? Date.now()) - flood.startMs,
    loadAvg1: meta.loads.map((l) => l[0]),
    // From the first block with a transfer of the flood to the last, empty ones included.
    blocks: blocks
      .slice(blocks.indexOf(withTransfers[0]), blocks.indexOf(withTransfers.at(-1)) + 1)
      .map(({ number, transfers, timestampMs, waitingAfter }) => ({ number, transfers, timestampMs, waitingAfter })),
    window: null,
  };
  if (full.length === 0) return result;
  const windowBlocks = blocks.slice(full[0], full.at(-1) + 1);
  const firstNumber = windowBlocks[0].number;
  const beforeTs = (await api.query.timestamp.now.at(windowBlocks[0].parentHash)).toNumber();
  const span = windowBlocks.at(-1).timestampMs - beforeTs;
  const transfers = windowBlocks.reduce((sum, b) => sum + b.transfers, 0);
  const times = windowBlocks.map((b, i) => b.timestampMs - (i === 0 ? beforeTs : windowBlocks[i - 1].timestampMs));
  const per = windowBlocks.map((b) => b.transfers);
  // Why the proposer ended each block, from the node's log.
  const found = values.log && fs.existsSync(values.log) ? proposals(values.log, windowBlocks) : null;
  result.window = {
    first: firstNumber,
    last: windowBlocks.at(-1).number,
    count: windowBlocks.length,
    notFull: windowBlocks.filter((b) => !(b.waitingAfter > 0)).length,
    transfers,
    perBlockMean: transfers / windowBlocks.length,
    perBlockMin: Math.min(...per),
    perBlockMax: Math.max(...per),
    tps: transfers / (span / 1000),
    blockTimeMeanMs: span / windowBlocks.length,
    blockTimeMinMs: Math.min(...times),
    blockTimeMaxMs: Math.max(...times),
    blocks: windowBlocks.map(({ number, transfers: n, timestampMs, waitingAfter }, i) => ({
      number,
      transfers: n,
      timestampMs,
      blockTimeMs: times[i],
      waitingAfter,
      end: found ? (found[number]?.end ?? '?') : null,
      proposeMs: found?.[number]?.ms ?? null,
    })),
  };
  // The fullest block of the window, executed again as an import does, beside its weight.
  const fullest = windowBlocks.reduce((a, b) => (b.transfers > a.transfers ? b : a));
  try {
    result.window.fullest = await blockExecution(api, rpcPort, fullest.hash);
  } catch (e) {
    result.window.fullest = { number: fullest.number, error: String(e.message ?? e) };
  }
  if (found) {
    result.window.ends = {};
    for (const { end } of result.window.blocks) result.window.ends[end] = (result.window.ends[end] ?? 0) + 1;
  }
  const lastTs = withTransfers.at(-1).timestampMs;
  const firstParentTs = (await api.query.timestamp.now.at(withTransfers[0].parentHash)).toNumber();
  result.overallTps = flood.included / ((lastTs - firstParentTs) / 1000);
  return result;
}

function printResult(r) {
  const w = r.window;
  console.log(
    `${r.label}: ${r.included} of ${r.transfers} transfers in blocks in ${(r.floodMs / 1000).toFixed(1)} s; ` +
      `pool refusals ${JSON.stringify(r.refusals)}, ${r.dropped} dropped and sent again; ` +
      `${Object.entries(r.refusalMessages).map(([code, m]) => `${code}: ${m.slice(0, 160)}; `).join('')}` +
      `load average (1 min) ${Math.min(...r.loadAvg1).toFixed(2)}-${Math.max(...r.loadAvg1).toFixed(2)}`,
  );
  console.log(`${r.label}: transfers per block: ${r.blocks.map((b) => `#${b.number}:${b.transfers}${b.waitingAfter > 0 ? '' : '*'}`).join(' ')}`);
  console.log(`${r.label}:   (* = not full: the pool held no more of the flood after it)`);
  if (!w) {
    console.log(`${r.label}: no full block: the flood never outran the chain`);
    return;
  }
  console.log(
    `${r.label}: window #${w.first}-#${w.last}: ${w.count} blocks (${w.notFull} not full), ${w.transfers} transfers, ` +
      `${w.perBlockMean.toFixed(0)} per block (${w.perBlockMin}-${w.perBlockMax}), ${w.tps.toFixed(1)} TPS; ` +
      `block time mean ${(w.blockTimeMeanMs / 1000).toFixed(2)} s (${(w.blockTimeMinMs / 1000).toFixed(2)}-${(w.blockTimeMaxMs / 1000).toFixed(2)} s)` +
      (w.ends ? `; proposer ended them: ${JSON.stringify(w.ends)}` : ''),
  );
  if (w.fullest) console.log(`${r.label}: fullest block ${fullestText(w.fullest)}`);
  if (w.count < MIN_FULL_BLOCKS) {
    console.log(`${r.label}: WARNING: only ${w.count} blocks in the window (want ${MIN_FULL_BLOCKS}): send more (--nonces)`);
  }
}

/** The fullest block's execution time beside its weight's. */
function fullestText(f) {
  if (f.error) return `#${f.number}: not executed again (${f.error})`;
  return (
    `#${f.number} (${f.extrinsics} extrinsics, ${(f.bytes / 1024).toFixed(0)} KiB): executes in ` +
    `${f.executeMs.toFixed(1)} ms, its weight claims ${f.weightMs.toFixed(1)} ms (${((100 * f.executeMs) / f.weightMs).toFixed(0)} %)`
  );
}

function table(paths) {
  const results = paths.map((p) => JSON.parse(fs.readFileSync(p, 'utf8')));
  const rows = [
    ['', ...results.map((r) => r.label)],
    ['node', ...results.map((r) => `${r.nodeName} ${r.nodeVersion}`)],
    ['chain', ...results.map((r) => r.chainName)],
    ['transfers sent / in blocks', ...results.map((r) => `${r.transfers} / ${r.included}`)],
    ['full-block window', ...results.map((r) => (r.window ? `#${r.window.first}-#${r.window.last} (${r.window.count} blocks, ${r.window.notFull} not full)` : '-'))],
    ['transfers per full block', ...results.map((r) => (r.window ? `${r.window.perBlockMean.toFixed(0)} (${r.window.perBlockMin}-${r.window.perBlockMax})` : '-'))],
    ['sustained TPS', ...results.map((r) => (r.window ? r.window.tps.toFixed(1) : '-'))],
    ['block time mean (min-max) s', ...results.map((r) => (r.window ? `${(r.window.blockTimeMeanMs / 1000).toFixed(2)} (${(r.window.blockTimeMinMs / 1000).toFixed(2)}-${(r.window.blockTimeMaxMs / 1000).toFixed(2)})` : '-'))],
    ['proposer ended blocks', ...results.map((r) => (r.window?.ends ? Object.entries(r.window.ends).map(([k, v]) => `${k} ${v}`).join(', ') : '-'))],
    ['fullest block: execute / weight', ...results.map((r) => (r.window?.fullest && !r.window.fullest.error ? `${r.window.fullest.executeMs.toFixed(1)} / ${r.window.fullest.weightMs.toFixed(1)} ms (${r.window.fullest.extrinsics} xts)` : '-'))],
    ['TPS over all transfers', ...results.map((r) => (r.overallTps ? r.overallTps.toFixed(1) : '-'))],
    ['pool refusals', ...results.map((r) => JSON.stringify(r.refusals))],
    ['load average (1 min)', ...results.map((r) => `${Math.min(...r.loadAvg1).toFixed(2)}-${Math.max(...r.loadAvg1).toFixed(2)}`)],
    ['flood ended early', ...results.map((r) => r.error ?? 'no')],
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => String(row[c]).length)));
  for (const row of rows) console.log(row.map((cell, c) => String(cell).padEnd(widths[c])).join('  ').trimEnd());
  if (results.length >= 2) {
    const [a, b] = results;
    const ratio = a.window && b.window ? (a.window.tps / b.window.tps).toFixed(2) : 'n/a (a run without full blocks)';
    console.log(`${a.label} TPS / ${b.label} TPS = ${ratio}   (${os.loadavg()[0].toFixed(2)} load now)`);
  }
}

async function fundSpec() {
  if (!values.in || !values.out) die('fund-spec wants --in PLAIN_SPEC.json --out SPEC.json');
  const spec = JSON.parse(fs.readFileSync(values.in, 'utf8'));
  const patch = spec.genesis?.runtimeGenesis?.patch;
  if (!patch?.balances?.balances) die(`${values.in}: no genesis.runtimeGenesis.patch.balances.balances (a plain spec of build-spec?)`);
  const senders = await benchSenders(Number(values.senders));
  // A number within 2^53 keeps JSON.stringify exact.
  patch.balances.balances.push(...senders.map((s) => [s.address, Number(FUND)]));
  fs.writeFileSync(values.out, JSON.stringify(spec, null, 1));
  console.log(`${values.out}: ${senders.length} senders //Sender//<i> funded with ${FUND} each`);
}

switch (command) {
  case 'measure':
    await measure();
    break;
  case 'fund-spec':
    await fundSpec();
    break;
  case 'table':
    table(positionals);
    break;
  default:
    die('usage: tps.mjs measure|fund-spec|table ... (see the header of tests/tps.mjs)');
}
process.exit(0);
