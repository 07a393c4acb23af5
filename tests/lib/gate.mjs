// Helpers for the PoW connection gate test: gate identities (ed25519 from a seed, as the node's
// `--gate-seed`), the registration message of pallet-pow-attest, an @polkadot/api connection that
// knows the powAttest_* RPC methods, and parsers for the gate lines of the node log
// (node/src/gate.rs, node/src/attest.rs).

import crypto from 'node:crypto';

import { gpowApiOptions } from '@gpow/api';

import { hexToU8a, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import {
  blake2AsU8a,
  cryptoWaitReady,
  decodeAddress,
  ed25519PairFromSeed,
  ed25519Sign,
  ed25519Verify,
} from '@polkadot/util-crypto';

import { sleep, withTimeout } from './node.mjs';
import { bigIntToLeBytes, meetsDifficulty, workOf } from './seal.mjs';

/** `pallet_pow_attest::REGISTRATION_DOMAIN`. */
export const REGISTRATION_DOMAIN = 'gpow-pow-attest/register/v1';
/** The runtime's `RoundPeriod` and the gates' default keep-alive period, milliseconds. */
export const ROUND_PERIOD_MS = 30_000;
/** The runtime's `EffortPerChallenge` (2^16). */
export const EFFORT_PER_CHALLENGE = 65_536n;

/** A gate identity from a fresh random seed: { seed: hex without 0x (for --gate-seed), id: 0x hex, pair }. */
export async function newGateKey() {
  await cryptoWaitReady();
  const seed = crypto.randomBytes(32);
  const pair = ed25519PairFromSeed(new Uint8Array(seed));
  return { seed: seed.toString('hex'), id: u8aToHex(pair.publicKey), pair };
}

/**
 * `registration_payload(genesis_hash, account)`: the domain ++ the genesis hash (32 bytes) ++ the
 * AccountId32 (32 bytes).
 */
export function registrationPayload(genesisHash, address) {
  const genesis = typeof genesisHash === 'string' ? hexToU8a(genesisHash) : genesisHash.toU8a();
  if (genesis.length !== 32) throw new Error(`genesis hash of ${genesis.length} bytes`);
  return u8aConcat(stringToU8a(REGISTRATION_DOMAIN), genesis, decodeAddress(address));
}

/** The gate key's signature registering it to `address` on the chain with `genesisHash` (0x hex). */
export function registrationSignature(gateKey, genesisHash, address) {
  return u8aToHex(ed25519Sign(registrationPayload(genesisHash, address), gateKey.pair));
}

/** Connects an ApiPromise that knows every GPoW RPC (powAttest_* included); stored in `node.api`. */
export function connectWithPowAttest(node) {
  return node.connect(gpowApiOptions);
}

/** The gate id (0x hex) a node logs as listening (`🚪 Gate <hex> listening on <addr>`), or null. */
export function listeningGate(log) {
  const m = log.match(/Gate ([0-9a-f]{64}) listening on (\S+)/);
  return m ? { id: `0x${m[1]}`, addr: m[2] } : null;
}

/** Every `Gate round N: proved work over K challenge(s)` line: [{ round, challenges }]. */
export function provedRounds(log) {
  return [...log.matchAll(/Gate round (\d+): proved work over (\d+) challenge\(s\)/g)].map((m) => ({
    round: Number(m[1]),
    challenges: Number(m[2]),
  }));
}

/** Every `Gate connected to <hex> at <addr> (<dir>)` line: [{ peer, remote, direction }]. */
export function gateConnections(log) {
  return [...log.matchAll(/Gate connected to ([0-9a-f]{64}) at (\S+) \((\w+)\)/g)].map((m) => ({
    peer: `0x${m[1]}`,
    remote: m[2],
    direction: m[3],
  }));
}

/** Every `Gate connection to <hex|?> at <addr> ended: <reason>` line: [{ peer, remote, reason }]. */
export function gateDisconnections(log) {
  return [...log.matchAll(/Gate connection to ([0-9a-f]{64}|\?) at (\S+) ended: ([^\n]*)/g)].map((m) => ({
    peer: m[1] === '?' ? null : `0x${m[1]}`,
    remote: m[2],
    reason: m[3].trim(),
  }));
}

/** Rounds whose attestation the node logged as submitted (`Round N: attestation submitted`). */
export function submittedRounds(log) {
  return [...log.matchAll(/Round (\d+): attestation submitted/g)].map((m) => Number(m[1]));
}

/** Lines where the node could not submit an attestation (refused by the pool, not attestable). */
export function attestationProblems(log) {
  return log.split('\n').filter((l) => /Round \d+: (attestation refused by the pool|proof not attestable)/.test(l));
}

/**
 * Polls `fn` every `intervalMs` until it returns a truthy value (returned), or throws on timeout.
 * `failFast()`, if given, is called first on every attempt: a string it returns is thrown at once
 * (a condition under which waiting longer is pointless).
 */
export async function pollUntil(fn, timeoutMs, what, intervalMs = 1_000, failFast = null) {
  const deadline = Date.now() + timeoutMs;
  let last;
  let lastErr;
  while (Date.now() < deadline) {
    const fatal = failFast?.();
    if (fatal) throw new Error(`while waiting for ${what}: ${fatal}`);
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      lastErr = e;
    }
    await sleep(intervalMs);
  }
  throw new Error(
    `timed out after ${timeoutMs / 1000} s waiting for ${what}${lastErr ? ` (last error: ${lastErr.message})` : ''}`,
  );
}

/** The round of unix time `ms`: floor(ms / ROUND_PERIOD_MS). */
export function roundOf(ms) {
  return Math.floor(ms / ROUND_PERIOD_MS);
}

/** `gpow_primitives_pow::keep_pow::KEEP_CHALL_DOMAIN` and `KEEP_POW_DOMAIN`. */
export const KEEP_CHALL_DOMAIN = 'gpow-gate/keep-chall/v1';
export const KEEP_POW_DOMAIN = 'gpow-gate/keep-pow/v1';

/**
 * Re-checks an on-chain attestation (the decoded `powAttest.attest` argument) independently of the
 * node: every challenge is of the round, addressed to the prover, sorted strictly by issuer and
 * signed by its issuer (ed25519 over KEEP_CHALL_DOMAIN ++ SCALE(chall)), and the nonce's work
 * `blake2_256(pre_image ++ nonce_le)` with
 * `pre_image = blake2_256(KEEP_POW_DOMAIN ++ round_le ++ prover ++ blake2_256(SCALE(challenges)))`
 * meets `EFFORT_PER_CHALLENGE * n`. Returns { round, prover, issuers, nonce } or throws.
 */
export function verifyAttestation(attestation) {
  const round = attestation.round.toBigInt();
  const prover = u8aToHex(attestation.prover.toU8a());
  const challenges = [...attestation.challenges];
  if (challenges.length === 0) throw new Error('attestation without challenges');
  const issuers = [];
  for (const [i, signed] of challenges.entries()) {
    const chall = signed.chall;
    if (chall.round.toBigInt() !== round) throw new Error(`challenge ${i} is of round ${chall.round}, not ${round}`);
    const addressee = u8aToHex(chall.addressee.toU8a());
    if (addressee !== prover) throw new Error(`challenge ${i} is addressed to ${addressee}, not the prover ${prover}`);
    const issuer = u8aToHex(chall.issuer.toU8a());
    if (issuers.length && !(issuer > issuers[issuers.length - 1])) throw new Error(`challenge ${i} breaks the issuer order`);
    const message = u8aConcat(stringToU8a(KEEP_CHALL_DOMAIN), chall.toU8a());
    if (!ed25519Verify(message, signed.signature.toU8a(), chall.issuer.toU8a())) {
      throw new Error(`challenge ${i}: bad signature of issuer ${issuer}`);
    }
    issuers.push(issuer);
  }
  const digest = blake2AsU8a(attestation.challenges.toU8a(), 256);
  const preImage = blake2AsU8a(
    u8aConcat(stringToU8a(KEEP_POW_DOMAIN), bigIntToLeBytes(round, 8), attestation.prover.toU8a(), digest),
    256,
  );
  const nonce = attestation.nonce.toBigInt();
  const work = workOf(preImage, nonce);
  const required = EFFORT_PER_CHALLENGE * BigInt(challenges.length);
  if (!meetsDifficulty(work, required)) throw new Error(`the work of nonce ${nonce} does not meet ${required}`);
  return { round: Number(round), prover, issuers, nonce };
}

/**
 * A KEEP_POW built in JavaScript, independently of the gate: `issuer` (a gate key) challenges
 * `prover` in `round` with a random salt, and the nonce is searched here (EFFORT_PER_CHALLENGE
 * expected hashes, about a second). Returns the argument of `powAttest.attest` as plain values.
 */
export function buildAttestation(registry, { round, prover, issuer }) {
  const chall = registry.createType('PowAttestJsKeepChall', {
    round,
    issuer: issuer.id,
    addressee: prover.id,
    salt: u8aToHex(crypto.randomBytes(16)),
  });
  const signature = ed25519Sign(u8aConcat(stringToU8a(KEEP_CHALL_DOMAIN), chall.toU8a()), issuer.pair);
  const challenges = registry.createType('Vec<PowAttestJsSignedKeepChall>', [{ chall, signature }]);
  const preImage = blake2AsU8a(
    u8aConcat(
      stringToU8a(KEEP_POW_DOMAIN),
      bigIntToLeBytes(round, 8),
      prover.pair.publicKey,
      blake2AsU8a(challenges.toU8a(), 256),
    ),
    256,
  );
  let nonce = 0n;
  while (!meetsDifficulty(workOf(preImage, nonce), EFFORT_PER_CHALLENGE)) nonce += 1n;
  return {
    round,
    prover: prover.id,
    challenges: [{ chall: chall.toJSON(), signature: u8aToHex(signature) }],
    nonce,
  };
}

/** Types for `buildAttestation` (the SCALE layout of gpow_primitives_pow::keep_pow::{KeepChall, SignedKeepChall}). */
export const jsKeepPowTypes = {
  PowAttestJsKeepChall: { round: 'u64', issuer: '[u8;32]', addressee: '[u8;32]', salt: '[u8;16]' },
  PowAttestJsSignedKeepChall: { chall: 'PowAttestJsKeepChall', signature: '[u8;64]' },
};

/**
 * The bytes (0x hex, length-prefixed) of `call` (e.g. `api.tx.powAttest.attest(...)`) as a general
 * transaction (extrinsic v5, no signature), as the node submits attestations
 * (`gpow_runtime::authorized_tx_extension`): the runtime's `AuthorizeCall` extension runs the call's
 * own authorization. The other extensions carry neutral values: immortal era, nonce 0, no tip
 * (`AuthorizeCall` and the rest encode nothing).
 *
 * @polkadot/types 16.5.6 encodes a `GeneralExtrinsic` correctly, but its `Extrinsic` wrapper (what
 * `api.tx(...)` and the RPC layer make of it) re-encodes one with a second version byte and length
 * (`GenericExtrinsic.toU8aInner`), which the node refuses as a codec error: submit these bytes with
 * `submitRawAndWaitInBlock`. Reading blocks is not affected: `api.rpc.chain.getBlock` decodes each
 * extrinsic from its own hex, general ones included; only the re-encoding of a decoded general
 * extrinsic (`toHex()`, `hash`: 3 bytes too many) is wrong, and so is decoding a block from its
 * SCALE bytes (`Vec<Extrinsic>`), which loses its place after one.
 */
export function generalTransactionHex(api, call) {
  const general = api.registry.createType('GeneralExtrinsic', {
    payload: { era: api.registry.createType('ExtrinsicEra'), nonce: 0, tip: 0, method: call.method },
    transactionExtensionVersion: 0,
  });
  return general.toHex();
}

/** The JSON-RPC provider an ApiPromise talks through (for calls whose types it would re-encode). */
function providerOf(api) {
  return api._rpcCore.provider;
}

/**
 * Submits raw extrinsic bytes (0x hex, length-prefixed) with `author_submitAndWatchExtrinsic` and
 * resolves once they are in a block with { blockHash } (0x hex); rejects with the pool's refusal
 * (e.g. `1010: Invalid Transaction: Custom error: 12`).
 */
export function submitRawAndWaitInBlock(api, hex, timeoutMs = 120_000) {
  const provider = providerOf(api);
  let subscription;
  const p = new Promise((resolve, reject) => {
    provider
      .subscribe('author_extrinsicUpdate', 'author_submitAndWatchExtrinsic', [hex], (error, status) => {
        if (error) reject(error);
        else if (status?.inBlock) resolve({ blockHash: status.inBlock });
        else if (['invalid', 'dropped'].includes(status) || status?.usurped) reject(new Error(`extrinsic ${JSON.stringify(status)}`));
      })
      .then((id) => {
        subscription = id;
      })
      .catch(reject);
  });
  return withTimeout(p, timeoutMs, 'the extrinsic to be included in a block').finally(() => {
    if (subscription !== undefined) provider.unsubscribe('author_extrinsicUpdate', 'author_unwatchExtrinsic', subscription).catch(() => {});
  });
}

