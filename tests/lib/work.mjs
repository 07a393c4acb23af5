// Work as payment from a client's side: ask the node for an assignment (`work_request`), mine
// nonces over the pre-image, report shares (`work_submit`), and send the call wrapped in
// `workPayment.withWork` with the seal, signed with the bound transaction nonce and no tip.
//
// Work of a nonce: blake2_256(preImage ++ nonce as 8 bytes little-endian), read as a big-endian
// number w; its effort is floor((2^256 - 1) / w) (gpow-primitives-pow).

import { blake2AsU8a } from '@polkadot/util-crypto';
import { u8aToHex, hexToU8a } from '@polkadot/util';

import { rpcHttp } from './node.mjs';

const MAX = (1n << 256n) - 1n;

/** The work of `nonce` (BigInt) over `preImage` (Uint8Array of 32 bytes), as a BigInt. */
export function workOf(preImage, nonce) {
  const input = new Uint8Array(40);
  input.set(preImage, 0);
  new DataView(input.buffer).setBigUint64(32, BigInt(nonce), true);
  return BigInt(u8aToHex(blake2AsU8a(input, 256)));
}

/** The effort of `nonce` over `preImage`: floor((2^256 - 1) / work). */
export function effortOf(preImage, nonce) {
  const w = workOf(preImage, nonce);
  return w === 0n ? MAX : MAX / w;
}

/**
 * The first nonce from `start` whose effort is at least `min` and below `below` (effort >= e
 * exactly when work <= floor(MAX / e), so no division per hash).
 */
export function mine(preImage, min, { start = 0n, below = null } = {}) {
  const ceiling = MAX / BigInt(min);
  const floor = below === null ? -1n : MAX / BigInt(below);
  for (let n = BigInt(start); ; n += 1n) {
    const w = workOf(preImage, n);
    if (w <= ceiling && w > floor) return n;
  }
}

/** `work_request` on `node`; throws the JSON-RPC error (its object as the Error's `rpc`) on a refusal. */
export async function workRequest(node, callHex, signer, nonce = null) {
  return rpcHttp(node.rpcPort, 'work_request', nonce === null ? [callHex, signer] : [callHex, signer, nonce]);
}

/** The pre-image of an assignment as bytes. */
export function preImageOf(assignment) {
  return hexToU8a(assignment.preImage);
}

/**
 * Mines shares of an assignment and submits them in batches through `work_submit` until the node
 * answers `done`; resolves with the last progress (its `seal`) and how many submissions it took.
 */
export async function workUntilDone(node, assignment, batch = 16) {
  const preImage = preImageOf(assignment);
  const shareCeiling = MAX / BigInt(assignment.shareEffort);
  let nonce = BigInt(assignment.nonceStart);
  let submissions = 0;
  for (;;) {
    const found = [];
    while (found.length < batch) {
      if (workOf(preImage, nonce) <= shareCeiling) found.push(nonce.toString());
      nonce += 1n;
    }
    const progress = await rpcHttp(node.rpcPort, 'work_submit', [assignment.token, found]);
    submissions += 1;
    if (progress.done) return { progress, submissions };
  }
}

/** `workPayment.withWork(seal, call)`. */
export function withWork(api, call, anchor, nonce) {
  return api.tx.workPayment.withWork({ anchor, nonce: BigInt(nonce) }, call);
}
