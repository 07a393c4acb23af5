// The service market at work (issue 15, deliverable 5): one mining dev node, the three programs
// of service/ as child processes, and no person voting.
//
// The chain: `build-spec --chain dev` with Charlie, Dave, Eve and Ferdie endowed like the dev
// accounts and Charlie, Dave and Eve founding REP holders (1,000 REP each, like Alice and Bob),
// and `noBootstrapPool` set, so that pool ids start at 1 (pool 0 of a dev chain always passes,
// whatever its panel says: a cheater's instance could otherwise be judged by it).
//
// 1. `gpow-service register-types --sudo //Alice --panel 3 --window 8 --deadline 60` (a
//    provider waits for a delivery until 24 blocks after the request, then declines).
// 2. Providers: Dave honest, Eve cheating on half of every work (`--cheat-fraction 0.5`), each
//    offering range compute and storage (capacity 64, 0.001 GPOW a unit, 100 REP bonded each).
// 3. Validators: Alice, Bob and Charlie run `gpow-validator` with its default stake.
// 4. Consumer Ferdie (`--json`) requests a storage and a range instance from each provider
//    (`--provider` names it); a storage instance's term is 6 blocks.
// 5. Restart: Dave's provider is killed with SIGKILL once it holds his storage blob and waits
//    for the term (delivered, not submitted), and started again on the same data directory: the
//    result is submitted once (one `services.ResultSubmitted` for it).
// 6. Outcomes, read from the chain: Dave's two instances `services.Paid` (fee minus the author's
//    share, on Dave's balance), Eve's two failed (`services.Refunded` to Ferdie, Eve's offer stake
//    and bonded REP down by the backing), every pool settled by the validators' own extrinsics
//    (every signed extrinsic of the chain is a daemon's or the consumer command's), the verdict
//    files of the validators say why (`WrongHash`, `Gone`...) for Eve and pass for Dave, and
//    `gpow-service fetch` verifies Dave's range result and gives back the stored file.
// 7. Bad input, each a named outcome while the daemons go on serving: Dave's range instance is
//    requested while his provider is down (`EndpointUnreachable`, the instance stays
//    requested); once it is back, raw bytes posted to its `market_deliver` are `NotSealed`, the
//    definition tampered with in Ferdie's store is `DefinitionMismatch`, and the real one is then
//    delivered and paid.
//
// Panels. The pallet draws a panel of 3 by free REP among everyone but the instance's provider
// and consumer: Alice, Bob, Charlie and the other provider (Ferdie holds no REP). A provider
// drawn on the other's panel runs no validator and never stakes, so such a pool cannot settle
// early (not every member staked) and settles at the end of its window, by quorum: quorum is 10 %
// of the panel's free REP at the draw (at most about 3 × 1,000 REP), and each validator's
// default stake is that whole quorum (capped at its free REP), not a share of it, so the
// validators of such a panel reach it and their side wins against the minted REP and the
// backing; with shares the pool would end without quorum: its instance unjudged, the cheater
// unpunished. The test
// prints which pools had a provider on their panel and checks they settled with a verdict.
//
// Numbers printed at the end: the time from each `request` to its settled pool, split into the
// storage term, the pool (result submitted to settled) and the rest; the validators' cost per
// evaluation from their verdict files. 68-80 s on the 2-core reference machine.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { WsProvider } from '@polkadot/api';

import { field } from './lib/chain.mjs';
import { devAccount, freePorts, freshAccount, rpcHttp, sleep, strict, tmpDir, withNode } from './lib/node.mjs';
import { waitUntil } from './lib/net.mjs';
import { Daemons, eventLine, findEvents, marketBinaries, marketSpec, readBlocks, runService } from './lib/market.mjs';
import { connectWithServices } from './lib/services.mjs';

const PANEL = 3;
const WINDOW = 8;
const DEADLINE = 60;
const TERM = 6;
const AUTHOR_SHARE_PCT = 10n;
const OFFER = (kind) => `${kind}:64:0.001:100`;
/** The range instances: 16 Ki values, 16 volume units. */
const RANGE = ['--start', '0', '--end', '16384', '--one-in', '64'];
/** The stored file: 40 KiB, 10 chunks of 4 KiB. */
const FILE_BYTES = 40 * 1024;
/** How long the instances may take from the last request to their settled pools. */
const OUTCOME_TIMEOUT_MS = 150_000;

test('market: providers, validators and a consumer run both service types to completion with no person voting', async (t) => {
  const bins = marketBinaries();
  const dir = tmpDir('market');
  const names = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];
  const keys = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await devAccount(n)])));
  const id = Object.fromEntries(names.map((n) => [n, keys[n].address]));
  const nameOf = new Map(names.map((n) => [id[n], n]));
  const validators = ['Alice', 'Bob', 'Charlie'];
  const providers = ['Dave', 'Eve'];
  const spec = await marketSpec(dir, { endowed: [id.Charlie, id.Dave, id.Eve, id.Ferdie], founders: [id.Charlie, id.Dave, id.Eve] });
  const miner = await freshAccount();
  const daemons = new Daemons();
  const started = Date.now();

  await withNode(t, { chainArgs: ['--chain', spec], author: miner.address, extraArgs: ['--mine'], connect: false }, async (node, step) => {
    let failed = false;
    // Each step builds on the ones before: the first failure ends the scenario.
    const guard = strict(step);
    try {
      const api = await connectWithServices(node);
      const url = node.wsUrl;
      const rpc = (method, params) => rpcHttp(node.rpcPort, method, params);
      const ferdie = { url, suri: '//Ferdie', dataDir: path.join(dir, 'ferdie') };
      const consumer = (args) => runService(bins.service, ferdie, args);
      const instance = async (i) => rpc('services_instance', [i]);
      const [davePort, evePort] = await freePorts(2);
      const providerArgs = (who, port, extra = []) => [
        '--node', url, '--suri', `//${who}`, '--data-dir', path.join(dir, who.toLowerCase()),
        '--listen', `127.0.0.1:${port}`, '--offer', OFFER('range'), '--offer', OFFER('storage'), ...extra,
      ];
      const providerDaemons = {};
      const types = {};
      /** The four instances by name (`daveStorage`...): { id, kind, provider, fee, requestMs, line }. */
      const inst = {};
      const file = path.join(dir, 'blob.bin');
      fs.writeFileSync(file, randomBytes(FILE_BYTES));
      let offersBefore;
      let bondedBefore;

      const offersOf = async (who) => {
        const out = {};
        for (const [kind, type] of Object.entries(types)) {
          out[kind] = (await rpc('services_offers', [type])).find((o) => o.provider === id[who]);
        }
        return out;
      };
      const bonded = async (who) => (await api.query.reputation.accounts(id[who])).unwrap().bonded.toBigInt();

      await guard('register-types through sudo: the two service types with a panel of 3', async () => {
        const run = await consumer(['register-types', '--sudo', '//Alice', '--panel', String(PANEL), '--window', String(WINDOW), '--deadline', String(DEADLINE)]);
        assert.equal(run.code, 0, `${run.stderr} ${JSON.stringify(run.lines)}`);
        for (const line of run.lines) {
          assert.equal(line.registered, true, JSON.stringify(line));
          types[line.kind] = line.serviceType;
        }
        assert.deepEqual(Object.keys(types).sort(), ['range', 'storage']);
      });

      await guard('two providers (Dave honest, Eve cheating on half) offer both kinds; three validators follow the chain', async () => {
        providerDaemons.Dave = daemons.start('provider-dave', bins.provider, providerArgs('Dave', davePort));
        providerDaemons.Eve = daemons.start('provider-eve', bins.provider, providerArgs('Eve', evePort, ['--cheat-fraction', '0.5']));
        const validatorDaemons = validators.map((v) =>
          daemons.start(`validator-${v.toLowerCase()}`, bins.validator, [
            '--node', url, '--suri', `//${v}`, '--data-dir', path.join(dir, `validator-${v.toLowerCase()}`),
          ]),
        );
        await Promise.all([
          ...providers.map((p) => providerDaemons[p].waitForLog(/offered storage/, 90_000)),
          ...validatorDaemons.map((v) => v.waitForLog(/following best blocks/, 60_000)),
        ]);
        offersBefore = Object.fromEntries(await Promise.all(providers.map(async (p) => [p, await offersOf(p)])));
        bondedBefore = Object.fromEntries(await Promise.all(providers.map(async (p) => [p, await bonded(p)])));
        for (const p of providers) {
          for (const kind of ['range', 'storage']) {
            assert.equal(offersBefore[p][kind]?.stake, (100n * 10n ** 12n).toString(), `${p}'s ${kind} offer: ${JSON.stringify(offersBefore[p][kind])}`);
          }
        }
      });

      const request = async (name, who, kind, args) => {
        const requestMs = Date.now();
        const run = await consumer(['request', kind, ...args, '--provider', id[who]]);
        const line = eventLine(run, 'requested');
        assert.equal(line.provider, id[who]);
        inst[name] = { id: line.instance, kind, provider: who, fee: BigInt(line.fee), requestMs, line };
        return run;
      };

      await guard("Ferdie's storage instance from Dave; Dave's provider killed (SIGKILL) while it holds the blob before the term", async () => {
        const run = await request('daveStorage', 'Dave', 'storage', ['--file', file, '--term', String(TERM)]);
        assert.equal(run.code, 0, `${run.stderr} ${JSON.stringify(run.lines)}`);
        eventLine(run, 'delivered');
        const n = inst.daveStorage.id;
        await providerDaemons.Dave.waitForLog(new RegExp(`instance ${n}: computed in \\d+ ms: holding`), 30_000);
        assert.equal(providerDaemons.Dave.lines(new RegExp(`instance ${n}: submitted`)).length, 0, 'submitted before the kill');
        await providerDaemons.Dave.kill('SIGKILL');
        assert.equal((await instance(n)).status, 'assigned', 'the result is not on chain at the kill');
      });

      await guard("while Dave's provider is down, his range instance is requested: EndpointUnreachable, the instance stays requested", async () => {
        const run = await request('daveRange', 'Dave', 'range', RANGE);
        assert.equal(run.code, 1, run.stderr);
        assert.equal(run.error, 'EndpointUnreachable', `${run.stderr} ${JSON.stringify(run.lines)}`);
        assert.match(run.stderr, /gpow-service deliver/);
        assert.equal((await instance(inst.daveRange.id)).status, 'assigned');
      });

      await guard("Dave's provider restarted on the same data directory; Ferdie's storage and range instances from Eve", async () => {
        providerDaemons.Dave = daemons.start('provider-dave-restarted', bins.provider, providerArgs('Dave', davePort));
        await providerDaemons.Dave.waitForLog(/offer of storage .* unchanged/, 60_000);
        for (const [name, kind, args] of [
          ['eveStorage', 'storage', ['--file', file, '--term', String(TERM)]],
          ['eveRange', 'range', RANGE],
        ]) {
          const run = await request(name, 'Eve', kind, args);
          assert.equal(run.code, 0, `${run.stderr} ${JSON.stringify(run.lines)}`);
          eventLine(run, 'delivered');
        }
      });

      await guard("bad deliveries to Dave's endpoint are refused by name (NotSealed, DefinitionMismatch); the real one is taken", async () => {
        const n = inst.daveRange.id;
        const dave = providerDaemons.Dave;
        await dave.waitForLog(new RegExp(`instance ${n}: assigned`), 30_000);
        // Raw bytes, not sealed with the pair's SSK, straight to the endpoint's JSON-RPC.
        const ws = new WsProvider(`ws://127.0.0.1:${davePort}`, false);
        await ws.connect();
        await ws.isReady;
        const raw = await ws.send('market_deliver', [n, `0x${randomBytes(96).toString('hex')}`]).then(
          (r) => ({ result: r }),
          (e) => ({ error: e }),
        );
        await ws.disconnect();
        assert.ok(raw.error, `raw bytes were taken: ${JSON.stringify(raw.result)}`);
        assert.equal(raw.error.code, 5003, raw.error.message);
        assert.match(raw.error.message, /not sealed/);
        await dave.waitForLog(new RegExp(`instance ${n}: refused delivery from ${id.Ferdie}: NotSealed`), 10_000);

        // The definition in Ferdie's store, one byte of its salt changed: it no longer hashes to
        // the instance's definition hash.
        const recordPath = path.join(ferdie.dataDir, 'instances', `${n}.json`);
        const record = fs.readFileSync(recordPath, 'utf8');
        const json = JSON.parse(record);
        const frame = json.definition;
        // "0x" ++ "GPWM" ++ version ++ kind: the salt starts at byte 6.
        const at = 2 + 6 * 2;
        const flipped = (parseInt(frame.slice(at, at + 2), 16) ^ 0xff).toString(16).padStart(2, '0');
        fs.writeFileSync(recordPath, JSON.stringify({ ...json, definition: frame.slice(0, at) + flipped + frame.slice(at + 2) }));
        const tampered = await consumer(['deliver', String(n)]);
        assert.equal(tampered.code, 1, tampered.stderr);
        assert.equal(tampered.error, 'DefinitionMismatch', `${tampered.stderr} ${JSON.stringify(tampered.lines)}`);
        await dave.waitForLog(new RegExp(`instance ${n}: refused delivery from ${id.Ferdie}: DefinitionMismatch`), 10_000);

        fs.writeFileSync(recordPath, record);
        const real = await consumer(['deliver', String(n)]);
        assert.equal(real.code, 0, `${real.stderr} ${JSON.stringify(real.lines)}`);
        assert.equal(eventLine(real, 'delivered').duplicate, false);
        await dave.waitForLog(new RegExp(`instance ${n}: delivered by ${id.Ferdie}`), 10_000);
      });

      await guard("Ferdie waits for Dave's range instance: paid (wait notes its result commitment while the pool runs)", async () => {
        const run = await consumer(['wait', String(inst.daveRange.id), '--timeout', String(OUTCOME_TIMEOUT_MS / 1000)]);
        assert.equal(run.code, 0, `${run.stderr} ${JSON.stringify(run.lines)}`);
        const finished = eventLine(run, 'finished');
        assert.deepEqual([finished.status, finished.outcome], ['completed', 'paid'], JSON.stringify(finished));
        inst.daveRange.waited = finished;
      });

      await guard('every instance is judged by its panel pool and settled, with no person voting', async () => {
        const done = new Set(['completed', 'failed', 'unjudged', 'cancelled', 'declined']);
        await waitUntil(
          async () => {
            const statuses = await Promise.all(Object.values(inst).map((i) => instance(i.id)));
            return statuses.every((s) => done.has(s.status));
          },
          OUTCOME_TIMEOUT_MS,
          'every instance to be finished',
          1_000,
        );
        for (const [name, i] of Object.entries(inst)) {
          const on = await instance(i.id);
          i.status = on.status;
          i.backing = BigInt(on.backing);
          assert.equal(on.status, i.provider === 'Dave' ? 'completed' : 'failed', `${name} (instance ${i.id}): ${JSON.stringify(on)}`);
        }
      });

      let blocks;
      await guard('the validators claimed their stakes; the chain says who signed what', async () => {
        // Every stake is claimed by its validator (the pool then closes).
        await waitUntil(
          async () => {
            blocks = await readBlocks(api, blocks);
            const staked = findEvents(blocks, 'reputation', 'Staked').map((e) => `${e.data.pool}/${e.data.who}`);
            const claimed = new Set(findEvents(blocks, 'reputation', 'Claimed').map((e) => `${e.data.pool}/${e.data.who}`));
            return staked.length > 0 && staked.every((s) => claimed.has(s));
          },
          60_000,
          'every stake to be claimed',
          2_000,
        );
        const daemonsOf = new Set([...validators, ...providers, 'Ferdie'].map((n) => id[n]));
        for (const block of blocks) {
          for (const x of block.extrinsics.filter((e) => e.signer)) {
            assert.ok(daemonsOf.has(x.signer), `block ${block.number}: ${x.call} signed by ${x.signer}, not a daemon`);
            if (x.call.startsWith('reputation.')) {
              assert.ok(validators.includes(nameOf.get(x.signer)), `block ${block.number}: ${x.call} by ${nameOf.get(x.signer)}, not a validator`);
            }
            if (x.call === 'services.submitResult') {
              assert.ok(providers.includes(nameOf.get(x.signer)), `block ${block.number}: ${x.call} by ${nameOf.get(x.signer)}`);
            }
          }
        }
      });

      const submitted = new Map(); // instance -> { block, pool }
      const settled = new Map(); // pool -> { block, verdict }
      const panels = new Map(); // pool -> [names]
      await guard("Dave's storage result was submitted once, by the restarted provider", async () => {
        for (const e of findEvents(blocks, 'services', 'ResultSubmitted')) {
          const n = field(e, 'instance').toNumber();
          assert.ok(!submitted.has(n), `instance ${n}: a second services.ResultSubmitted in block ${e.block.number}`);
          submitted.set(n, { block: e.block, pool: field(e, 'pool').toNumber() });
        }
        for (const i of Object.values(inst)) assert.ok(submitted.has(i.id), `instance ${i.id}: no services.ResultSubmitted`);
        const n = inst.daveStorage.id;
        assert.equal(providerDaemons.Dave.lines(new RegExp(`instance ${n}: submitted result`)).length, 1, 'the restarted provider submitted it');
        for (const e of findEvents(blocks, 'reputation', 'PoolSettled')) {
          settled.set(field(e, 'pool').toNumber(), { block: e.block, verdict: field(e, 'verdict').toString() });
        }
        for (const e of findEvents(blocks, 'reputation', 'PanelDrawn')) {
          panels.set(field(e, 'pool').toNumber(), field(e, 'panel').map((a) => nameOf.get(a.toString()) ?? a.toString()));
        }
      });

      await guard("outcomes: Dave paid the fee minus the author's share; Ferdie refunded for Eve's; Eve's backing forfeited", async () => {
        const paid = new Map(findEvents(blocks, 'services', 'Paid').map((e) => [field(e, 'instance').toNumber(), e]));
        const refunded = new Map(findEvents(blocks, 'services', 'Refunded').map((e) => [field(e, 'instance').toNumber(), e]));
        for (const [name, i] of Object.entries(inst)) {
          const pool = submitted.get(i.id).pool;
          const s = settled.get(pool);
          assert.ok(s, `${name}: pool ${pool} never settled`);
          i.pool = pool;
          if (i.provider === 'Dave') {
            assert.equal(s.verdict, 'Passed', `${name}: pool ${pool}`);
            const e = paid.get(i.id);
            assert.ok(e, `${name}: no services.Paid`);
            const author = (i.fee * AUTHOR_SHARE_PCT) / 100n;
            assert.equal(field(e, 'providerAmount').toBigInt(), i.fee - author, `${name}: paid to Dave`);
            assert.equal(field(e, 'authorAmount').toBigInt(), author, `${name}: paid to the author`);
            // Both of Dave's pools may settle in one block: his balance grows by every payment there.
            const daves = Object.values(inst).filter((x) => x.provider === 'Dave').map((x) => x.id);
            const inBlock = sumInBlock(paid, e.block, daves, 'providerAmount');
            await assertBalanceDelta(t, api, e.block, id.Dave, inBlock, `${name}: Dave's balance`);
          } else {
            assert.equal(s.verdict, 'Failed', `${name}: pool ${pool}`);
            const e = refunded.get(i.id);
            assert.ok(e, `${name}: no services.Refunded`);
            assert.equal(field(e, 'amount').toBigInt(), i.fee, `${name}: refunded to Ferdie`);
            const inBlock = sumInBlock(refunded, e.block, [...refunded.keys()], 'amount');
            await assertBalanceDelta(t, api, e.block, id.Ferdie, inBlock, `${name}: Ferdie's balance`);
            assert.ok(i.backing > 0n, `${name}: a backing`);
          }
        }
        const offersAfter = await offersOf('Eve');
        for (const kind of ['range', 'storage']) {
          const i = Object.values(inst).find((x) => x.provider === 'Eve' && x.kind === kind);
          assert.equal(BigInt(offersAfter[kind].stake), BigInt(offersBefore.Eve[kind].stake) - i.backing, `Eve's ${kind} offer stake lost the backing`);
        }
        const backings = Object.values(inst).filter((x) => x.provider === 'Eve').reduce((s, x) => s + x.backing, 0n);
        assert.equal(await bonded('Eve'), bondedBefore.Eve - backings, "Eve's bonded REP lost both backings");
        // A passed pool gives the backing back with its share of the forfeits.
        assert.ok((await bonded('Dave')) >= bondedBefore.Dave, "Dave's bonded REP is whole");
      });

      await guard('panels: a provider drawn on the other provider\'s panel does not vote, and the pool still settles by quorum', async () => {
        for (const i of Object.values(inst)) {
          const panel = panels.get(i.pool);
          assert.ok(panel?.length, `pool ${i.pool}: no PanelDrawn`);
          assert.ok(!panel.includes(i.provider) && !panel.includes('Ferdie'), `pool ${i.pool}: panel ${panel}`);
          const stakers = findEvents(blocks, 'reputation', 'Staked')
            .filter((e) => field(e, 'pool').toNumber() === i.pool)
            .map((e) => nameOf.get(field(e, 'who').toString()));
          assert.deepEqual([...stakers].sort(), panel.filter((m) => validators.includes(m)).sort(), `pool ${i.pool}: the validators of its panel staked`);
          t.diagnostic(`pool ${i.pool} (${i.provider}'s ${i.kind}): panel ${panel.join(', ')}; staked: ${stakers.join(', ')}; ${settled.get(i.pool).verdict}`);
        }
      });

      await guard("the validators' verdict files: reasons by name for Eve, passes for Dave", async () => {
        for (const v of validators) {
          const vdir = path.join(dir, `validator-${v.toLowerCase()}`, 'verdicts');
          for (const i of Object.values(inst)) {
            if (!panels.get(i.pool).includes(v)) continue;
            const verdict = JSON.parse(fs.readFileSync(path.join(vdir, `${i.pool}.json`), 'utf8'));
            i.verdicts = [...(i.verdicts ?? []), { validator: v, ...verdict }];
            assert.equal(verdict.instance, i.id);
            if (i.provider === 'Dave') {
              assert.equal(verdict.pass, true, `${v} on pool ${i.pool}: ${JSON.stringify(verdict.rounds.map((r) => r.reasons))}`);
            } else {
              assert.equal(verdict.pass, false, `${v} on pool ${i.pool}`);
              const reasons = verdict.rounds.flatMap((r) => r.reasons.map((x) => x.name));
              assert.ok(reasons.length > 0 && reasons.every((r) => /^[A-Z][A-Za-z]+$/.test(r)), `${v} on pool ${i.pool}: ${reasons}`);
              t.diagnostic(`${v}, pool ${i.pool} (Eve's ${i.kind}): ${[...new Set(reasons)].join(', ')}`);
            }
          }
        }
      });

      await guard("gpow-service fetch: Dave's range result verifies (its commitment found on chain, not in the store), his storage gives back the file", async () => {
        // Forget the commitment `wait` noted: the instance is over, so fetch must find it in the
        // chain's `services.ResultSubmitted` event, as for a consumer that never watched it.
        const recordPath = path.join(ferdie.dataDir, 'instances', `${inst.daveRange.id}.json`);
        const record = JSON.parse(fs.readFileSync(recordPath, 'utf8'));
        fs.writeFileSync(recordPath, JSON.stringify({ ...record, resultHash: null }));
        const range = await consumer(['fetch', String(inst.daveRange.id)]);
        assert.equal(range.code, 0, `${range.stderr} ${JSON.stringify(range.lines)}`);
        const fetched = eventLine(range, 'fetched');
        assert.equal(fetched.pass, true);
        const onChain = submitted.get(inst.daveRange.id);
        const result = findEvents([onChain.block], 'services', 'ResultSubmitted').find((e) => field(e, 'instance').toNumber() === inst.daveRange.id);
        assert.equal(fetched.resultHash, field(result, 'result').toHex());
        const out = path.join(dir, 'fetched.bin');
        const storage = await consumer(['fetch', String(inst.daveStorage.id), '--out', out]);
        assert.equal(storage.code, 0, `${storage.stderr} ${JSON.stringify(storage.lines)}`);
        assert.ok(fs.readFileSync(out).equals(fs.readFileSync(file)), 'the fetched file is the stored one');
      });

      await guard('the daemons are still serving and never panicked', async () => {
        for (const d of daemons.all) {
          if (d.name === 'provider-dave') continue; // killed on purpose
          assert.equal(d.exit, null, `${d.name} exited: ${JSON.stringify(d.exit)}`);
        }
        daemons.assertNoPanic();
        printNumbers(inst, blocks, submitted, settled, Date.now() - started);
      });
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      await daemons.stopAll();
      if (failed) daemons.report();
    }
  });
});

/**
 * The sum of field `name` over the events of `events` (instance id -> event) in `block` whose
 * instance is one of `instances`.
 */
function sumInBlock(events, block, instances, name) {
  let sum = 0n;
  for (const [instance, e] of events) {
    if (e.block.hash === block.hash && instances.includes(instance)) sum += field(e, name).toBigInt();
  }
  return sum;
}

/**
 * Asserts that `who`'s free balance grew by `amount` in `block` when it signed nothing there
 * (what it signed in the same block would move its balance too; then only the event counts)
 * and says which it was.
 */
async function assertBalanceDelta(t, api, block, who, amount, what) {
  if (block.extrinsics.some((x) => x.signer === who)) {
    t.diagnostic(`${what}: not compared (it signed an extrinsic in block ${block.number}); the event is checked`);
    return;
  }
  const header = await api.rpc.chain.getHeader(block.hash);
  const free = async (hash) => (await (await api.at(hash)).query.system.account(who)).data.free.toBigInt();
  assert.equal((await free(block.hash)) - (await free(header.parentHash)), amount, what);
  t.diagnostic(`${what}: +${amount} in block ${block.number}`);
}

/**
 * Prints the timings of the instances and the validators' cost per evaluation. A block's time is
 * the timestamp of the next block (a block's own timestamp is set when its mining starts; the
 * next one's when it was imported), so the times are as the chain saw them.
 */
function printNumbers(inst, blocks, submitted, settled, totalMs) {
  const byNumber = new Map(blocks.map((b) => [b.number, b]));
  const at = (b) => byNumber.get(b.number + 1)?.timestamp ?? b.timestamp;
  const requestedIn = new Map(findEvents(blocks, 'services', 'Requested').map((e) => [field(e, 'instance').toNumber(), e.block]));
  const s = (ms) => (ms / 1000).toFixed(1).padStart(5);
  const rows = [];
  for (const [name, i] of Object.entries(inst)) {
    const req = requestedIn.get(i.id);
    const sub = submitted.get(i.id).block;
    const set = settled.get(i.pool).block;
    const total = at(set) - i.requestMs;
    const termEnd = byNumber.get(req.number + TERM);
    const term = i.kind === 'storage' && termEnd ? at(termEnd) - at(req) : 0;
    const pool = at(set) - at(sub);
    const early = set.number < sub.number + WINDOW ? 'early' : 'window end';
    rows.push(
      `${name.padEnd(12)} instance ${i.id}  pool ${i.pool}  ${settled.get(i.pool).verdict.padEnd(6)}  request->settled ${s(total)} s = ` +
        `storage term ${s(term)} s + pool ${s(pool)} s (${set.number - sub.number} blocks, settled at ${early}) + rest ${s(total - term - pool)} s` +
        (i.waited ? `  [gpow-service wait: ${s(i.waited.sinceRequestMs)} s since the request]` : ''),
    );
  }
  const cost = [];
  const perKind = {};
  for (const i of Object.values(inst)) {
    for (const v of i.verdicts ?? []) {
      for (const [r, round] of v.rounds.entries()) {
        const k = (perKind[i.kind] ??= { rounds: 0, samples: 0, bytes: 0, cpu: 0, ms: 0 });
        k.rounds += 1;
        k.samples += round.samples.length;
        k.bytes += round.bytesRead;
        k.cpu += round.cpuMicros;
        k.ms += round.fetchMillis;
        cost.push(
          `${i.kind.padEnd(7)} pool ${i.pool} ${v.validator.padEnd(7)} round ${r + 1}: ${round.pass ? 'pass' : 'fail'} ` +
            `${round.samples.length} samples, ${round.answerBytes} answer bytes, ${round.bytesRead} bytes read, ` +
            `CPU ${round.cpuMicros} us, endpoint ${round.fetchMillis} ms` +
            (round.reasons.length ? `, reasons ${[...new Set(round.reasons.map((x) => x.name))].join(' ')}` : ''),
        );
      }
    }
  }
  const means = Object.entries(perKind).map(
    ([kind, k]) =>
      `${kind}: ${k.rounds} rounds, per round ${(k.samples / k.rounds).toFixed(0)} samples, ` +
      `${(k.bytes / k.rounds).toFixed(0)} bytes read, CPU ${(k.cpu / k.rounds).toFixed(0)} us, endpoint ${(k.ms / k.rounds).toFixed(1)} ms`,
  );
  console.log(
    [
      '=== market numbers (times of blocks as imported; 2 s target blocks) ===',
      `window ${WINDOW} blocks, storage term ${TERM} blocks, deadline ${DEADLINE} blocks; whole test ${s(totalMs)} s`,
      '(daveRange\'s rest includes its provider being down and the refused deliveries)',
      ...rows,
      '--- validators, per evaluation round (verdicts/<pool>.json) ---',
      ...cost,
      '--- validators, mean per round ---',
      ...means,
      '=== end of market numbers ===',
    ].join('\n'),
  );
}
