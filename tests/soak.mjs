// A long run of one mining node under steady transactions, measuring its memory: not part of the
// test suite (`npm test` runs `*.test.mjs` only); run it with `bash scripts/soak.sh [minutes]`.
//
// A dev node mines with one thread while //Alice sends a transfer to a fresh account every
// `--interval` ms (default 500); `--node-args` are passed to the node. Every 10 s the node's RSS (VmRSS), best and finalized block are
// printed; at the end: first, peak and last RSS, the growth over the second half of the run (a
// leak shows there, after the caches have filled), blocks, transfers sent and included.

import { parseArgs } from 'node:util';

import { sendAndWaitInBlock } from './lib/chain.mjs';
import { GpowNode, devAccount, freshAccount } from './lib/node.mjs';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    interval: { type: 'string', default: '500' },
    'node-args': { type: 'string', default: '' },
  },
});
const minutes = Number(values.minutes);
const intervalMs = Number(values.interval);
const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);

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
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  const finalized = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
  samples.push({ s: (Date.now() - t0) / 1000, rss, best });
  console.log(`${((Date.now() - t0) / 60_000).toFixed(1)} min  RSS ${mib(rss)} MiB  best #${best}  finalized #${finalized}  sent ${sent}  included ${included}  failed ${failed}`);
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
const stop = await node.stop();
console.log(`stopped: ${JSON.stringify(stop)}; a failed task at shutdown: ${/Essential task .* failed/.test(node.log)}`);
process.exit(0);
