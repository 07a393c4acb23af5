// GPoW seal helpers, independent of the node: encode/decode the seal digest, compute a header's
// pre-hash and check the proof of work exactly as gpow-primitives-pow does.
//
// Seal digest item (the last log of every block header):
//   0x05 (DigestItem::Seal) ++ b"pow_" ++ compact(len) ++ SCALE(Seal { difficulty: U256, nonce: u64 })
// Work: blake2_256(pre_hash ++ nonce_le) read as a big-endian 256-bit number; it meets difficulty d
// iff work * d <= U256::MAX (difficulty 0 is met by nothing).

import { compactFromU8a, compactToU8a, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';

export const POW_ENGINE_ID = Uint8Array.from([0x70, 0x6f, 0x77, 0x5f]); // "pow_"
export const DIGEST_SEAL = 0x05;
export const DIGEST_PRE_RUNTIME = 0x06;
export const SEAL_LEN = 40;
export const U256_MAX = (1n << 256n) - 1n;

export function leBytesToBigInt(bytes) {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return v;
}

export function bigIntToLeBytes(v, len) {
  const out = new Uint8Array(len);
  let x = BigInt(v);
  for (let i = 0; i < len; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  if (x !== 0n) throw new Error(`${v} does not fit in ${len} bytes`);
  return out;
}

export function beBytesToBigInt(bytes) {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** SCALE-encodes a Seal { difficulty: U256, nonce: u64 } (40 bytes). */
export function encodeSeal({ difficulty, nonce }) {
  return u8aConcat(bigIntToLeBytes(difficulty, 32), bigIntToLeBytes(nonce, 8));
}

/** Decodes exactly 40 seal bytes into { difficulty, nonce } (BigInts). */
export function decodeSeal(bytes) {
  if (bytes.length !== SEAL_LEN) throw new Error(`seal is ${bytes.length} bytes, expected ${SEAL_LEN}`);
  return { difficulty: leBytesToBigInt(bytes.subarray(0, 32)), nonce: leBytesToBigInt(bytes.subarray(32, 40)) };
}

/** The encoded DigestItem::Seal(pow_, innerBytes). */
export function sealDigestItem(innerBytes) {
  return u8aConcat([DIGEST_SEAL], POW_ENGINE_ID, compactToU8a(innerBytes.length), innerBytes);
}

/**
 * Parses an encoded digest item; for a seal returns { kind: 'seal', engine, inner } with the inner
 * bytes, else { kind: <byte> }.
 */
export function parseDigestItem(itemU8a) {
  const kind = itemU8a[0];
  if (kind !== DIGEST_SEAL && kind !== DIGEST_PRE_RUNTIME) return { kind };
  const engine = itemU8a.subarray(1, 5);
  const [offset, len] = compactFromU8a(itemU8a.subarray(5));
  const start = 5 + offset;
  const inner = itemU8a.subarray(start, start + len.toNumber());
  return { kind: kind === DIGEST_SEAL ? 'seal' : 'preRuntime', engine, inner, totalLen: start + len.toNumber() };
}

function u8a(x) {
  if (x instanceof Uint8Array) return x;
  if (typeof x === 'string') return hexToU8a(x);
  if (x && typeof x.toU8a === 'function') return x.toU8a();
  throw new Error(`cannot turn ${x} into bytes`);
}

/**
 * SCALE-encodes a header from its parts: parentHash, number, stateRoot, extrinsicsRoot (32-byte
 * hashes or hex) and logs (encoded digest items as Uint8Array or hex).
 */
export function encodeHeader({ parentHash, number, stateRoot, extrinsicsRoot, logs }) {
  return u8aConcat(
    u8a(parentHash),
    compactToU8a(BigInt(number)),
    u8a(stateRoot),
    u8a(extrinsicsRoot),
    compactToU8a(logs.length),
    ...logs.map(u8a),
  );
}

/** blake2_256 of the header without its last log (the seal): the pre-image of the work. */
export function preHash(parts) {
  return blake2AsU8a(encodeHeader({ ...parts, logs: parts.logs.slice(0, -1) }), 256);
}

/** Header parts from a @polkadot/api Header. */
export function headerParts(header) {
  return {
    parentHash: header.parentHash.toU8a(),
    number: header.number.toBigInt(),
    stateRoot: header.stateRoot.toU8a(),
    extrinsicsRoot: header.extrinsicsRoot.toU8a(),
    logs: header.digest.logs.map((l) => l.toU8a()),
  };
}

/** The work value of `nonce` over `preHash` as a BigInt. */
export function workOf(preHashU8a, nonce) {
  return beBytesToBigInt(blake2AsU8a(u8aConcat(preHashU8a, bigIntToLeBytes(nonce, 8)), 256));
}

export function meetsDifficulty(work, difficulty) {
  if (difficulty === 0n) return false;
  return work * difficulty <= U256_MAX;
}

/** The seal of a header (the decoded last digest log), with its pre-hash. */
export function sealOfParts(parts) {
  const last = u8a(parts.logs[parts.logs.length - 1]);
  const item = parseDigestItem(last);
  if (item.kind !== 'seal') throw new Error(`last digest log is not a seal: ${u8aToHex(last)}`);
  if (u8aToHex(item.engine) !== u8aToHex(POW_ENGINE_ID)) {
    throw new Error(`seal engine is ${u8aToHex(item.engine)}, expected pow_`);
  }
  return { ...decodeSeal(item.inner), preHash: preHash(parts), itemHex: u8aToHex(last) };
}
