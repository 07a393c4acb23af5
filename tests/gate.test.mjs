// The proof-of-work connection gate between two nodes, and its on-chain attestations.
//
// Node A (dev chain, mining, gate A) and node B (the same chain through --bootnodes, not mining,
// gate B dialing gate A). Both gate identities come from --gate-seed, so the test knows their
// ed25519 keys: Alice registers gate A and Bob gate B on chain (powAttest.registerGate, signed by
// the gate key over "gpow-pow-attest/register/v1" ++ genesis hash ++ account; a signature made for
// another account is refused). A KEEP_POW built in JavaScript is accepted as a powAttest.attest
// general transaction (extrinsic v5, no signature, let in by the call's own authorization through
// the runtime's AuthorizeCall extension), a second proof for the same gate and round is refused
// (AlreadyAttested), and a bare (v4-style unsigned) attest is refused (no unsigned validator).
// A block holding a general attestation followed by a signed transfer decodes whole through
// @polkadot/api (api.rpc.chain.getBlock), and signAndSend finds the transfer and its events in it,
// as dapps and polkadot.js Apps do on a chain where gates attest. Then:
//
// - the gates connect and keep each other alive: in every 30 s round each sends the other a
//   signed KEEP_CHALL and proves one piece of work over the challenge it received (KEEP_POW);
// - each node submits its own KEEP_POW as a general powAttest.attest, which lands on chain:
//   powAttest.Attested { gate, round, challenges: 1, score: 65536 } for both gates, the same
//   answers from powAttest_workScore / powAttest_scores, the gates' lifetime totals, and the
//   attestation re-verified in JavaScript (challenge signatures, work over the pre-image);
// - a peer that stops answering is dropped: node B is frozen with SIGSTOP for more than a round
//   and node A ends the gate connection for the missing KEEP_POW; after SIGCONT B dials again.
//
// Rounds are 30 s (the runtime's RoundPeriod), so this test takes about 3 minutes.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { eventNames, eventsAt, field, sendAndWaitInBlock } from './lib/chain.mjs';
import {
  EFFORT_PER_CHALLENGE,
  ROUND_PERIOD_MS,
  attestationProblems,
  buildAttestation,
  connectWithPowAttest,
  generalTransactionHex,
  gateConnections,
  gateDisconnections,
  jsKeepPowTypes,
  listeningGate,
  newGateKey,
  pollUntil,
  provedRounds,
  registrationSignature,
  roundOf,
  submitRawAndWaitInBlock,
  submittedRounds,
  verifyAttestation,
} from './lib/gate.mjs';
import { scrapeMetrics } from './lib/metrics.mjs';
import { devAccount, freePorts, freshAccount, rpcHttp, sleep, strict, waitForBlock, withNode } from './lib/node.mjs';

const POW_ATTEST_METHODS = [
  'powAttest_currentRound',
  'powAttest_isRegistered',
  'powAttest_scores',
  'powAttest_workScore',
];
/** The gates' proof deadline within a round (`KeepAliveConfig::with_period(30_000)`: 90 %). */
const DEADLINE_MS = (ROUND_PERIOD_MS * 9) / 10;

/** The hex of a gate id as the node logs it (no 0x). */
function bare(id) {
  return id.replace(/^0x/, '');
}

/**
 * Every powAttest.Attested event in blocks `from`..`to` of the best chain, with the extrinsic that
 * emitted it: [{ number, hash, gate, round, challenges, score, extrinsic }].
 */
async function attestedEvents(api, from, to) {
  const found = [];
  for (let n = from; n <= to; n++) {
    const hash = await api.rpc.chain.getBlockHash(n);
    const [events, signed] = await Promise.all([eventsAt(api, hash), api.rpc.chain.getBlock(hash)]);
    const extrinsics = signed.block.extrinsics;
    for (const { event, phase } of events) {
      if (event.section !== 'powAttest' || event.method !== 'Attested') continue;
      const index = phase.isApplyExtrinsic ? phase.asApplyExtrinsic.toNumber() : null;
      found.push({
        number: n,
        hash,
        gate: field(event, 'gate', 0).toHex(),
        round: field(event, 'round', 1).toNumber(),
        challenges: field(event, 'challenges', 2).toNumber(),
        score: field(event, 'score', 3).toBigInt(),
        extrinsic: index === null ? null : extrinsics[index],
      });
    }
  }
  return found;
}

/** The rounds (ascending, distinct) of the `proved work` lines of a log. */
function roundsProved(log) {
  return [...new Set(provedRounds(log).map((p) => p.round))].sort((x, y) => x - y);
}

test('gate: two nodes keep their gates alive, attest the work on chain, and drop a frozen peer', async (t) => {
  const [authorA, authorB, alice, bob] = await Promise.all([
    freshAccount(),
    freshAccount(),
    devAccount('Alice'),
    devAccount('Bob'),
  ]);
  const [gateA, gateB] = await Promise.all([newGateKey(), newGateKey()]);
  const [gatePortA, gatePortB, prometheusA] = await freePorts(3);
  t.diagnostic(`gate A ${gateA.id} on 127.0.0.1:${gatePortA}, gate B ${gateB.id} on 127.0.0.1:${gatePortB}`);
  const gateFlags = (port, key) => [
    '--gate-listen', `127.0.0.1:${port}`,
    '--gate-period-ms', String(ROUND_PERIOD_MS),
    '--gate-seed', key.seed,
  ];

  await withNode(
    t,
    { name: 'gate-A', author: authorA.address, connect: false, prometheusPort: prometheusA, extraArgs: gateFlags(gatePortA, gateA) },
    async (a, stepA) => {
      const step = strict(stepA);
      const apiA = await connectWithPowAttest(a);
      await waitForBlock(apiA, 1, 240_000);
      // frame_system's block_hash(0) is the real genesis hash from block #1 on.
      const genesis = (await apiA.rpc.chain.getBlockHash(0)).toHex();
      let registeredAt; // number of the block that holds both registrations (the later one)
      const attestedRounds = new Set(); // rounds this test attested for gate A

      await step('node A serves powAttest_*; its gate listens with the --gate-seed identity', async () => {
        const { methods } = await rpcHttp(a.rpcPort, 'rpc_methods');
        for (const m of POW_ATTEST_METHODS) assert.ok(methods.includes(m), `rpc_methods lacks ${m}`);
        const [, , addr] = await a.waitForLog(/Gate ([0-9a-f]{64}) listening on (\S+)/, 30_000);
        assert.equal(addr, `127.0.0.1:${gatePortA}`);
        assert.equal(listeningGate(a.log).id, gateA.id, 'the logged gate id is not the public key of --gate-seed');

        const best = (await apiA.rpc.chain.getHeader()).hash;
        const now = (await (await apiA.at(best)).query.timestamp.now()).toNumber();
        const round = await apiA.rpc.powAttest.currentRound(best);
        assert.equal(round.toNumber(), Math.floor(now / ROUND_PERIOD_MS), 'currentRound = floor(timestamp / 30000)');
        assert.equal(await rpcHttp(a.rpcPort, 'powAttest_currentRound', [best.toHex()]), round.toNumber());
        const wall = roundOf(Date.now());
        assert.ok(Math.abs(round.toNumber() - wall) <= 1, `chain round ${round} vs wall-clock round ${wall}`);
        for (const g of [gateA, gateB]) {
          assert.equal((await apiA.rpc.powAttest.isRegistered(g.id)).isTrue, false, `${g.id} registered already`);
          assert.equal(await rpcHttp(a.rpcPort, 'powAttest_isRegistered', [g.id]), false);
        }
      });

      await step('registration: a signature for another account is refused; Alice registers gate A, Bob gate B', async () => {
        // Gate A's key signed for Alice: Bob cannot use that signature.
        const forAlice = registrationSignature(gateA, genesis, alice.address);
        await assert.rejects(
          sendAndWaitInBlock(apiA, apiA.tx.powAttest.registerGate(gateA.id, forAlice), bob),
          /powAttest\.BadRegistrationSignature/,
        );
        const [ra, rb] = await Promise.all([
          sendAndWaitInBlock(apiA, apiA.tx.powAttest.registerGate(gateA.id, forAlice), alice),
          sendAndWaitInBlock(apiA, apiA.tx.powAttest.registerGate(gateB.id, registrationSignature(gateB, genesis, bob.address)), bob),
        ]);
        const numbers = [];
        for (const [who, res, gate] of [
          [alice, ra, gateA],
          [bob, rb, gateB],
        ]) {
          const events = await eventsAt(apiA, res.blockHash);
          const mine = events.filter(
            ({ event }) =>
              event.section === 'powAttest' &&
              event.method === 'GateRegistered' &&
              field(event, 'gate', 0).toHex() === gate.id,
          );
          assert.equal(mine.length, 1, `one powAttest.GateRegistered for ${gate.id}; events: ${eventNames(events)}`);
          assert.equal(field(mine[0].event, 'owner', 1).toString(), who.address);
          const record = await (await apiA.at(res.blockHash)).query.powAttest.gates(gate.id);
          assert.ok(record.isSome, `powAttest.gates(${gate.id}) is empty`);
          assert.equal(record.unwrap().owner.toString(), who.address);
          assert.equal(record.unwrap().totalScore.toBigInt(), 0n);
          numbers.push((await apiA.rpc.chain.getHeader(res.blockHash)).number.toNumber());
        }
        registeredAt = Math.max(...numbers);
        for (const g of [gateA, gateB]) {
          assert.equal((await apiA.rpc.powAttest.isRegistered(g.id)).isTrue, true, `${g.id} not registered`);
          assert.equal(await rpcHttp(a.rpcPort, 'powAttest_isRegistered', [g.id]), true);
        }
      });

      await step('the runtime accepts a KEEP_POW built in JS as a general powAttest.attest, once per gate and round, and no bare one', async () => {
        apiA.registry.register(jsKeepPowTypes);
        // A round before the gates connect, so it cannot collide with the nodes' own attestations.
        const round = (await apiA.rpc.powAttest.currentRound()).toNumber() - 3;
        attestedRounds.add(round);
        const attestation = buildAttestation(apiA.registry, { round, prover: gateA, issuer: gateB });
        const { blockHash } = await submitRawAndWaitInBlock(
          apiA,
          generalTransactionHex(apiA, apiA.tx.powAttest.attest(attestation)),
        );
        const events = await eventsAt(apiA, blockHash);
        const attested = events.filter(({ event }) => event.section === 'powAttest' && event.method === 'Attested');
        assert.equal(attested.length, 1, `one powAttest.Attested; events: ${eventNames(events)}`);
        const { event } = attested[0];
        assert.deepEqual(
          {
            gate: field(event, 'gate', 0).toHex(),
            round: field(event, 'round', 1).toNumber(),
            challenges: field(event, 'challenges', 2).toNumber(),
            score: field(event, 'score', 3).toBigInt(),
          },
          { gate: gateA.id, round, challenges: 1, score: EFFORT_PER_CHALLENGE },
        );
        assert.deepEqual(await rpcHttp(a.rpcPort, 'powAttest_workScore', [gateA.id, round, blockHash]), {
          challenges: 1,
          score: EFFORT_PER_CHALLENGE.toString(),
        });
        const record = (await (await apiA.at(blockHash)).query.powAttest.gates(gateA.id)).unwrap();
        assert.equal(record.totalScore.toBigInt(), EFFORT_PER_CHALLENGE, 'totalScore after one attestation');
        // Read back from the block, the extrinsic decodes and re-verifies.
        const number = (await apiA.rpc.chain.getHeader(blockHash)).number.toNumber();
        const [found] = await attestedEvents(apiA, number, number);
        assert.equal(found.extrinsic.isSigned, false);
        assert.equal(found.extrinsic.isGeneral(), true, 'the attestation is a general transaction');
        assert.deepEqual(verifyAttestation(found.extrinsic.method.args[0]), {
          round,
          prover: gateA.id,
          issuers: [gateB.id],
          nonce: BigInt(attestation.nonce),
        });
        // Another proof (fresh challenge salt) for the same gate and round: refused by the pool
        // with AlreadyAttested (refusal code 12).
        const again = buildAttestation(apiA.registry, { round, prover: gateA, issuer: gateB });
        await assert.rejects(
          submitRawAndWaitInBlock(apiA, generalTransactionHex(apiA, apiA.tx.powAttest.attest(again))),
          /Invalid Transaction: Custom error: 12/,
        );
        // A proof as a bare extrinsic (how attestations went in before #[pallet::authorize]): nothing
        // authorizes it, and the pallet has no unsigned validator, whatever the proof.
        await assert.rejects(apiA.tx.powAttest.attest(again).send(), /1011: Unknown Transaction Validity/);
      });

      await step('a block with a general attestation followed by a signed transfer: getBlock decodes it whole, signAndSend finds the transfer and its events', async () => {
        // What dapps and polkadot.js Apps do on a chain where gates attest. The attestation goes
        // first (its priority is above any signed transaction's), so a transfer sent with it lands
        // after it when both make the same block; a few rounds are tried until they do.
        const recipient = (await freshAccount()).address;
        const current = (await apiA.rpc.powAttest.currentRound()).toNumber();
        let mixed = null;
        const tried = [];
        // Gate A may attest each round once: skip the round the step before used (30 s rounds,
        // so `current` may have moved on since).
        const rounds = [4, 5, 6, 7, 8].map((back) => current - back).filter((r) => !attestedRounds.has(r));
        for (const round of rounds.slice(0, 4)) {
          attestedRounds.add(round);
          const attestation = buildAttestation(apiA.registry, { round, prover: gateA, issuer: gateB });
          const attested = submitRawAndWaitInBlock(apiA, generalTransactionHex(apiA, apiA.tx.powAttest.attest(attestation)));
          const statuses = [];
          let unsub;
          const transfer = new Promise((resolve, reject) => {
            apiA.tx.balances
              .transferKeepAlive(recipient, 10n ** 12n)
              .signAndSend(alice, (result) => {
                statuses.push(result.status.type);
                if (result.status.isInBlock) resolve(result);
                else if (result.isError) reject(new Error(`transfer ${result.status.type}`));
              })
              .then((u) => {
                unsub = u;
              })
              .catch(reject);
          });
          const [att, result] = await Promise.all([attested, transfer]).finally(() => unsub?.());
          const transferBlock = result.status.asInBlock.toHex();
          tried.push(`round ${round}: attestation in ${att.blockHash.slice(0, 10)}, transfer in ${transferBlock.slice(0, 10)} (${statuses.join(' -> ')})`);
          if (att.blockHash === transferBlock) {
            mixed = { hash: transferBlock, result, round };
            break;
          }
        }
        assert.ok(mixed, `the attestation and the transfer never made the same block: ${tried.join('; ')}`);
        const { result } = mixed;
        const raw = (await rpcHttp(a.rpcPort, 'chain_getBlock', [mixed.hash])).block.extrinsics;
        const { block } = await apiA.rpc.chain.getBlock(mixed.hash);
        assert.equal(block.extrinsics.length, raw.length, 'getBlock decodes every extrinsic of the block');
        const kinds = block.extrinsics.map((x) => `${x.method.section}.${x.method.method}${x.isGeneral() ? ' (general)' : ''}${x.isSigned ? ' (signed)' : ''}`);
        const at = block.extrinsics.findIndex((x) => x.isGeneral() && x.method.section === 'powAttest');
        const tx = block.extrinsics.findIndex((x) => x.isSigned && x.hash.eq(result.txHash));
        assert.ok(at >= 0 && tx > at, `a general attestation, then the transfer: ${kinds.join(', ')}`);
        assert.equal(verifyAttestation(block.extrinsics[at].method.args[0]).round, mixed.round);
        assert.equal(`${block.extrinsics[tx].method.section}.${block.extrinsics[tx].method.method}`, 'balances.transferKeepAlive');
        assert.equal(block.extrinsics[tx].toHex(), raw[tx], 'the transfer decodes to its own bytes');
        // signAndSend read the block to find the transfer's events: they are its own.
        assert.equal(result.txIndex, tx, 'signAndSend places the transfer at its index in the block');
        const names = result.events.map(({ event }) => `${event.section}.${event.method}`);
        assert.ok(names.includes('balances.Transfer') && names.includes('system.ExtrinsicSuccess'), `transfer events: ${names.join(', ')}`);
        for (const { phase } of result.events) assert.equal(phase.asApplyExtrinsic.toNumber(), tx);
        t.diagnostic(`block ${mixed.hash}: ${kinds.join(', ')}`);
      });

      const peerId = (await apiA.rpc.system.localPeerId()).toString();
      await withNode(
        t,
        {
          name: 'gate-B',
          author: authorB.address,
          connect: false,
          miningThreads: null,
          extraArgs: [
            '--no-mine',
            '--bootnodes', `/ip4/127.0.0.1/tcp/${a.p2pPort}/p2p/${peerId}`,
            ...gateFlags(gatePortB, gateB),
            '--gate-peer', `127.0.0.1:${gatePortA}`,
          ],
        },
        async (b, stepB) => {
          const stepOnB = strict(stepB);
          let apiB = await connectWithPowAttest(b);
          let rounds; // the first two rounds both gates proved

          await stepOnB('node B syncs the chain of node A without mining; its gate listens', async () => {
            assert.equal((await apiB.rpc.chain.getBlockHash(0)).toHex(), genesis);
            await waitForBlock(apiB, registeredAt, 120_000);
            await b.waitForLog(/Gate [0-9a-f]{64} listening on/, 30_000);
            assert.equal(listeningGate(b.log).id, gateB.id, 'the logged gate id is not the public key of --gate-seed');
            assert.equal((await apiB.rpc.powAttest.isRegistered(gateA.id)).isTrue, true);
            assert.equal((await apiB.rpc.powAttest.isRegistered(gateB.id)).isTrue, true);
            assert.doesNotMatch(b.log, /⛏️ {2}Mining (with|for)/, 'node B mines despite --no-mine');
          });

          await stepOnB('the gates connect: B dialed A (outbound), A accepted B (inbound)', async () => {
            await b.waitForLog(new RegExp(`Gate connected to ${bare(gateA.id)} at 127\\.0\\.0\\.1:${gatePortA} \\(Outbound\\)`), 90_000);
            await a.waitForLog(new RegExp(`Gate connected to ${bare(gateB.id)} at \\S+ \\(Inbound\\)`), 30_000);
            assert.deepEqual(gateConnections(a.log).map((c) => c.peer), [gateB.id]);
            assert.deepEqual(gateConnections(b.log).map((c) => c.peer), [gateA.id]);
          });

          await stepOnB('the gates keep each other alive: both prove work over 1 challenge in at least 2 rounds', async () => {
            rounds = await pollUntil(
              () => {
                const ra = roundsProved(a.log);
                const rb = roundsProved(b.log);
                const both = ra.filter((r) => rb.includes(r));
                return both.length >= 2 ? both.slice(0, 2) : null;
              },
              150_000,
              `two rounds proved by both gates (A proved ${roundsProved(a.log)}, B proved ${roundsProved(b.log)})`,
            );
            t.diagnostic(`rounds proved by both gates: ${rounds.join(', ')}`);
            assert.equal(rounds[1], rounds[0] + 1, 'the two rounds follow each other');
            for (const [name, node] of [
              ['A', a],
              ['B', b],
            ]) {
              for (const p of provedRounds(node.log)) {
                assert.equal(p.challenges, 1, `node ${name} proved round ${p.round} over ${p.challenges} challenges`);
              }
              assert.deepEqual(gateDisconnections(node.log), [], `node ${name}'s gate connection ended`);
              assert.match(node.log, new RegExp(`Gate round ${rounds[0]}: challenged 1 peer\\(s\\)`));
            }
          });

          await stepOnB('both nodes submit their proofs, and the attestations land on chain with score 65536', async () => {
            const expected = { challenges: 1, score: EFFORT_PER_CHALLENGE.toString() };
            // A refused submission never lands: fail at once with the node's line.
            const refused = () => {
              const lines = [...attestationProblems(a.log).map((l) => `node A: ${l}`), ...attestationProblems(b.log).map((l) => `node B: ${l}`)];
              return lines.length ? `the node could not submit its attestation:\n${lines.slice(0, 4).join('\n')}` : null;
            };
            for (const g of [gateA, gateB]) {
              for (const r of rounds) {
                const work = await pollUntil(
                  async () => {
                    const w = await apiA.rpc.powAttest.workScore(g.id, r);
                    return w.isSome ? w.unwrap() : null;
                  },
                  120_000,
                  `powAttest_workScore(${g.id}, ${r}) on node A`,
                  1_000,
                  refused,
                );
                assert.equal(work.challenges.toNumber(), 1);
                assert.equal(work.score.toBigInt(), EFFORT_PER_CHALLENGE);
                assert.deepEqual(await rpcHttp(a.rpcPort, 'powAttest_workScore', [g.id, r]), expected);
                // Node B (which does not mine) sees the same once it imported the block.
                await pollUntil(
                  async () => (await apiB.rpc.powAttest.workScore(g.id, r)).isSome,
                  60_000,
                  `powAttest_workScore(${g.id}, ${r}) on node B`,
                );
                assert.deepEqual(await rpcHttp(b.rpcPort, 'powAttest_workScore', [g.id, r]), expected);
              }
            }
            for (const r of rounds) {
              const scores = await rpcHttp(a.rpcPort, 'powAttest_scores', [r]);
              const sorted = [...scores].sort((x, y) => (x.gate < y.gate ? -1 : 1));
              const want = [gateA.id, gateB.id].sort().map((gate) => ({ gate, ...expected }));
              assert.deepEqual(sorted, want, `powAttest_scores(${r})`);
              const typed = await apiA.rpc.powAttest.scores(r);
              assert.equal(typed.length, 2);
              for (const s of typed) assert.equal(s.score.toBigInt(), EFFORT_PER_CHALLENGE);
            }
            // An unknown gate has no score.
            assert.equal(await rpcHttp(a.rpcPort, 'powAttest_workScore', [`0x${'11'.repeat(32)}`, rounds[0]]), null);

            for (const [name, node] of [
              ['A', a],
              ['B', b],
            ]) {
              const submitted = submittedRounds(node.log);
              for (const r of rounds) assert.ok(submitted.includes(r), `node ${name} did not log "Round ${r}: attestation submitted"`);
              assert.deepEqual(attestationProblems(node.log), [], `node ${name} could not submit an attestation`);
            }
            // Node A's Prometheus metrics count the same: one open gate connection, its proofs and
            // the attestations the pool accepted.
            const metric = await scrapeMetrics(prometheusA);
            assert.equal(metric('gpow_gate_connections'), 1, 'gpow_gate_connections');
            assert.ok(metric('gpow_gate_connections_total') >= 1, 'gpow_gate_connections_total');
            assert.ok(metric('gpow_gate_proofs_total') >= rounds.length, 'gpow_gate_proofs_total');
            assert.ok(metric('gpow_gate_attestations_submitted_total') >= rounds.length, 'gpow_gate_attestations_submitted_total');
            assert.equal(metric('gpow_gate_attestations_refused_total'), 0, 'gpow_gate_attestations_refused_total');
          });

          await stepOnB('the Attested events and the general attest extrinsics match, and verify independently', async () => {
            const end = await apiA.rpc.chain.getHeader();
            const found = await attestedEvents(apiA, registeredAt, end.number.toNumber());
            for (const [g, other] of [
              [gateA, gateB],
              [gateB, gateA],
            ]) {
              const mine = found.filter((e) => e.gate === g.id);
              for (const r of rounds) {
                const ev = mine.filter((e) => e.round === r);
                assert.equal(ev.length, 1, `one powAttest.Attested for ${g.id} in round ${r}; got ${JSON.stringify(mine.map((e) => e.round))}`);
                const { challenges, score, extrinsic, hash } = ev[0];
                assert.equal(challenges, 1);
                assert.equal(score, EFFORT_PER_CHALLENGE);
                assert.ok(extrinsic, 'the event has no extrinsic phase');
                assert.equal(`${extrinsic.method.section}.${extrinsic.method.method}`, 'powAttest.attest');
                assert.equal(extrinsic.isSigned, false, 'an attestation has no signature');
                assert.equal(extrinsic.isGeneral(), true, 'an attestation is a general transaction (extrinsic v5)');
                const checked = verifyAttestation(extrinsic.method.args[0]);
                assert.deepEqual(
                  { round: checked.round, prover: checked.prover, issuers: checked.issuers },
                  { round: r, prover: g.id, issuers: [other.id] },
                );
                // Gate rounds are the chain's rounds: the attestation lands in its round or the next.
                const chainRound = (await apiA.rpc.powAttest.currentRound(hash)).toNumber();
                assert.ok(chainRound - r >= 0 && chainRound - r <= 1, `round ${r} attested at chain round ${chainRound}`);
              }
              // Every Attested event of the gate is for 1 challenge, and they sum to its total.
              for (const e of mine) {
                assert.equal(e.challenges, 1, `round ${e.round}`);
                assert.equal(e.score, EFFORT_PER_CHALLENGE, `round ${e.round}`);
              }
              assert.equal(new Set(mine.map((e) => e.round)).size, mine.length, `${g.id} attested a round twice`);
              const record = (await (await apiA.at(end.hash)).query.powAttest.gates(g.id)).unwrap();
              assert.equal(
                record.totalScore.toBigInt(),
                EFFORT_PER_CHALLENGE * BigInt(mine.length),
                `totalScore of ${g.id} after ${mine.length} attestations`,
              );
            }
            t.diagnostic(
              `attestations through #${end.number}: ${found.map((e) => `${e.gate.slice(0, 10)}@${e.round}#${e.number}`).join(' ')}`,
            );
          });

          await stepOnB('a peer that stops answering is dropped: B frozen for over a round, A ends the connection', async () => {
            await b.disconnect(); // the API would only time out against a stopped process
            apiB = null;
            const before = gateDisconnections(a.log).length;
            const frozenAt = Date.now();
            b.child.kill('SIGSTOP');
            let ended;
            try {
              const re = new RegExp(`Gate connection to ${bare(gateB.id)} at \\S+ ended: ([^\\n]*)`);
              // The round B was frozen in, or the next one if B had already proved it: its deadline
              // is at most two rounds away.
              ended = await a.waitForLog(re, 2 * ROUND_PERIOD_MS + 15_000);
              const seenAt = Date.now();
              const reason = ended[1].trim();
              const m = reason.match(/^no KEEP_POW for round (\d+) by the deadline$/);
              assert.ok(m, `the gate connection to B ended for another reason than the missing keep-alive proof: "${reason}"`);
              const round = Number(m[1]);
              assert.ok(round >= roundOf(frozenAt) && round <= roundOf(frozenAt) + 1, `round ${round}, frozen in ${roundOf(frozenAt)}`);
              assert.ok(
                seenAt >= round * ROUND_PERIOD_MS + DEADLINE_MS,
                `dropped ${round * ROUND_PERIOD_MS + DEADLINE_MS - seenAt} ms before the deadline of round ${round}`,
              );
              assert.equal(gateDisconnections(a.log).length, before + 1);
              t.diagnostic(`frozen at ${frozenAt} (round ${roundOf(frozenAt)}), dropped after ${seenAt - frozenAt} ms: ${reason}`);
              // Stay frozen for more than one round in all.
              const more = frozenAt + ROUND_PERIOD_MS + 5_000 - Date.now();
              if (more > 0) await sleep(more);
            } finally {
              b.child.kill('SIGCONT');
            }
          });

          await stepOnB('after SIGCONT node B dials again and the gates reconnect', async () => {
            await pollUntil(
              () => gateConnections(a.log).filter((c) => c.peer === gateB.id).length >= 2,
              90_000,
              'a second "Gate connected to <gate B>" on node A',
            );
            await pollUntil(
              () => gateConnections(b.log).filter((c) => c.peer === gateA.id).length >= 2,
              30_000,
              'a second "Gate connected to <gate A>" on node B',
            );
            t.diagnostic(`node B's gate after the freeze: ${gateDisconnections(b.log).map((d) => d.reason).join(' | ')}`);
          });
        },
      );
    },
  );
});
