// Service-market helpers for the end-to-end tests: an @polkadot/api connection that knows every
// GPoW RPC method, submitting several extrinsics at once (nonces assigned per signer), balance
// holds by reason, and the deposit formula of the runtime.

import { gpowApiOptions } from '@gpow/api';

import { submit } from './reputation.mjs';

/** runtime/src/configs.rs: a stored item's deposit is DepositBase + DepositPerByte · its size. */
export const DEPOSIT_BASE = 10n * 10n ** 9n;
export const DEPOSIT_PER_BYTE = 100n * 10n ** 6n;

/**
 * The deposit of a record of `maxEncodedLen` bytes (the services pallet charges the record's
 * maximum encoded size: `Footprint::from_parts(1, max_encoded_len)`).
 */
export function deposit(maxEncodedLen) {
  return DEPOSIT_BASE + DEPOSIT_PER_BYTE * BigInt(maxEncodedLen);
}

/**
 * The maximum encoded sizes of the runtime's offer and instance records (pallets/services/src/
 * types.rs with MaxEndpointLen 128, MaxPayloadLen 256, 32-byte accounts and hashes, u128
 * balances, u32 block numbers, a HoldConsideration ticket of one u128):
 * - offer: id 4 + capacity 8 + used 8 + rate 16 + endpoint (compact 2 + 128) + stake 16 +
 *   committed 16 + active 4 + ticket 16 = 218;
 * - instance: type 4 + consumer 32 + provider 32 + definition 32 + payload (2 + 256) + volume 8 +
 *   rate 16 + fee 16 + backing 16 + requested_at 4 + deadline 4 + status (1 + pool 8 + post 8 +
 *   result 32) + ticket 16 = 487.
 */
export const OFFER_MAX_ENCODED_LEN = 218;
export const INSTANCE_MAX_ENCODED_LEN = 487;

/** Connects an ApiPromise that knows every GPoW RPC method; stored in `node.api`. */
export function connectWithServices(node) {
  return node.connect(gpowApiOptions);
}

/**
 * Submits every `{ tx, signer }` at once, nonces assigned in list order per signer (so one
 * signer's extrinsics execute in list order), and resolves with their `submit` results in list
 * order (succeeded or not).
 */
export async function sendAll(api, items) {
  const nonces = new Map();
  for (const { signer } of items) {
    if (!nonces.has(signer.address)) {
      nonces.set(signer.address, (await api.rpc.system.accountNextIndex(signer.address)).toNumber());
    }
  }
  return Promise.all(
    items.map(({ tx, signer }) => {
      const nonce = nonces.get(signer.address);
      nonces.set(signer.address, nonce + 1);
      return submit(api, tx, signer, { nonce });
    }),
  );
}

/** The holds on `who` at block `hash` as a Map "section.Reason" -> amount (BigInt). */
export async function holdsAt(api, who, hash) {
  const out = new Map();
  for (const hold of await (await api.at(hash)).query.balances.holds(who)) {
    const id = hold.id.toJSON();
    const [section] = Object.keys(id);
    out.set(`${section}.${id[section]}`, hold.amount.toBigInt());
  }
  return out;
}

/** One hold of `who` at `hash` ("services.Escrow", ...), 0 if none. */
export async function heldAt(api, who, hash, reason) {
  return (await holdsAt(api, who, hash)).get(reason) ?? 0n;
}


