// A long run of one mining node under steady transactions, measuring its memory: not part of the
// test suite (`npm test` runs `*.test.mjs` only); run it with `bash scripts/soak.sh [minutes]`.
//
// A dev node mines with one thread while //Alice sends a transfer to a fresh account every
// `--interval` ms (default 500); `--node-args` are passed to the node. Every 10 s the node's RSS (VmRSS), best and finalized block are
// printed; at the end: first, peak and last RSS, the growth over the second half of the run (a
// leak shows there, after the caches have filled), blocks, transfers sent and included, and two
// slopes of the anonymous RSS (heap): by least squares over the second half, and of its peak from
// the first half to the second. With `--check-slope <MiB/min>` the run fails (exit code 1) when
// the peak slope is above the threshold. The peak is what a leak raises: ParityDB's log overlay
// fills and empties in cycles (node/README.md, "Memory"), so a least-squares slope over a window
// of one or two cycles is mostly the cycle's phase, while the peaks of two halves that each hold a
// whole cycle are level unless something else grows.

import { parseArgs } from 'node:util';

import { sendAndWaitInBlock } from './lib/chain.mjs';
import { GpowNode, devAccount, freshAccount } from './lib/node.mjs';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    interval: { type: 'string', default: '500' },
    'node-args': { type: 'string', default: '' },
    'check-slope': { type: 'string', default: '' },
  },
});
const minutes = Number(values.minutes);
const intervalMs = Number(values.interval);
const checkSlope = values['check-slope'] === '' ? null : Number(values['check-slope']);
if (checkSlope !== null && !(checkSlope >= 0)) throw new Error(`--check-slope wants MiB per minute, got ${values['check-slope']}`);
const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);

/** Least-squares slope of `value(sample)` (bytes) against time, in MiB per minute. */
function slopeMibPerMin(points, value) {
  const xs = points.map((p) => p.s / 60);
  const ys = points.map((p) => value(p) / 1024 / 1024);
  const n = xs.length;
  if (n < 2) return NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i += 1) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxy / sxx;
}

const node = await GpowNode.start({
  name: 'soak',
  author: (await freshAccount()).address,
  extraArgs: values['node-args'].split(' ').filter(Boolean),
});
console.log(`node log: ${node.logPath}`);
const api = await node.connect();
const alice = await devAccount('Alice');
const samples = [];
let sent = 0;
let included = 0;
let failed = 0;
const t0 = Date.now();
const end = t0 + minutes * 60_000;

let nonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
const sender = (async () => {
  while (Date.now() < end) {
    const to = (await freshAccount()).address;
    sent += 1;
    sendAndWaitInBlock(api, api.tx.balances.transferKeepAlive(to, 10n ** 12n), alice, { nonce: nonce++ })
      .then(() => (included += 1))
      .catch(() => (failed += 1));
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
})();

while (Date.now() < end) {
  const rss = node.rssBytes();
  const split = node.rssSplit() ?? { anon: 0, file: 0 };
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  const finalized = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
  samples.push({ s: (Date.now() - t0) / 1000, rss, anon: split.anon, file: split.file, best });
  console.log(`${((Date.now() - t0) / 60_000).toFixed(1)} min  RSS ${mib(rss)} MiB (anon ${mib(split.anon)}, file ${mib(split.file)})  best #${best}  finalized #${finalized}  sent ${sent}  included ${included}  failed ${failed}`);
  await new Promise((resolve) => setTimeout(resolve, 10_000));
}
await sender;
await new Promise((resolve) => setTimeout(resolve, 15_000));
const half = samples.filter((x) => x.s >= (minutes * 60) / 2);
const peak = Math.max(...samples.map((x) => x.rss));
console.log('---');
console.log(`minutes ${minutes}, blocks ${samples.at(-1).best}, transfers sent ${sent}, included ${included}, failed ${failed}`);
console.log(`RSS first ${mib(samples[0].rss)} MiB, peak ${mib(peak)} MiB, last ${mib(samples.at(-1).rss)} MiB`);
console.log(`RSS over the second half: ${mib(half[0].rss)} -> ${mib(half.at(-1).rss)} MiB (${mib(half.at(-1).rss - half[0].rss)} MiB)`);
console.log(`  anonymous (heap): ${mib(half[0].anon)} -> ${mib(half.at(-1).anon)} MiB; mapped files: ${mib(half[0].file)} -> ${mib(half.at(-1).file)} MiB`);
const anonSlope = slopeMibPerMin(half, (x) => x.anon);
const firstHalf = samples.filter((x) => x.s < (minutes * 60) / 2);
const peakOf = (points) => Math.max(...points.map((x) => x.anon));
const peakSlope = (peakOf(half) - peakOf(firstHalf)) / 1024 / 1024 / (minutes / 2);
console.log(`slope over the second half (least squares): anonymous ${anonSlope.toFixed(2)} MiB/min, total ${slopeMibPerMin(half, (x) => x.rss).toFixed(2)} MiB/min`);
console.log(`anonymous peak: first half ${mib(peakOf(firstHalf))} MiB, second half ${mib(peakOf(half))} MiB: ${peakSlope.toFixed(2)} MiB/min`);
const stop = await node.stop();
console.log(`stopped: ${JSON.stringify(stop)}; a failed task at shutdown: ${/Essential task .* failed/.test(node.log)}`);
if (checkSlope !== null) {
  const pass = Number.isFinite(peakSlope) && peakSlope <= checkSlope;
  console.log(`verdict: ${pass ? 'PASS' : 'FAIL'}: the anonymous RSS peak rose ${peakSlope.toFixed(2)} MiB/min from the first half to the second (${pass ? '<=' : '>'} ${checkSlope})`);
  process.exit(pass ? 0 : 1);
}
process.exit(0);
