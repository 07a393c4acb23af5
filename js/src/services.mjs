// The service market (pallets/services): offer capacity for a service type at a rate, request an
// instance (the chain negotiates a provider and escrows the fee), submit the result (judged by a
// validation pool); read offers and instances through the node's services_* RPC.

import { blake2AsHex } from '@polkadot/util-crypto';

import { eventData, submit } from './submit.mjs';

/**
 * Offers `capacity` units of `serviceType` at `rate` (planck per unit), reachable at `endpoint`,
 * bonding `stake` REP as availability stake. Resolves with the offer's id.
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {import('@polkadot/api/types').AddressOrPair} signer the provider
 * @param {object} offer
 * @param {number} offer.serviceType
 * @param {number | bigint} offer.capacity
 * @param {bigint | number | string} offer.rate
 * @param {string} [offer.endpoint] where consumers reach the provider (e.g. a URL)
 * @param {bigint | number | string} [offer.stake] REP, 12 decimals (at least the type's minimum)
 * @returns {Promise<{ offer: number, inclusion: import('./submit.mjs').Inclusion }>}
 */
export async function offer(api, signer, { serviceType, capacity, rate, endpoint = '', stake = 0 }) {
  const inclusion = await submit(api, api.tx.services.offer(serviceType, capacity, rate, endpoint, stake), signer);
  return { offer: eventData(inclusion, 'services', 'Offered').offer.toNumber(), inclusion };
}

/**
 * Requests `volume` units of `serviceType` at up to `maxRate` per unit: negotiation picks a
 * provider (or takes `provider`), and rate × volume is held in escrow. `definition` is what to do
 * (hashed with blake2-256 unless already a 32-byte hash), `payload` up to 256 bytes for the
 * provider. Resolves with the instance's id, its provider, fee and deadline.
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {import('@polkadot/api/types').AddressOrPair} signer the consumer
 * @param {object} request
 * @param {number} request.serviceType
 * @param {string} request.definition
 * @param {number | bigint} request.volume
 * @param {bigint | number | string} request.maxRate
 * @param {string | Uint8Array} [request.payload]
 * @param {string | null} [request.provider]
 * @returns {Promise<{ instance: number, provider: string, fee: bigint, deadline: number, inclusion: import('./submit.mjs').Inclusion }>}
 */
export async function request(api, signer, { serviceType, definition, volume, maxRate, payload = '', provider = null }) {
  const tx = api.tx.services.request(serviceType, hash32(definition), payload, volume, maxRate, provider);
  const inclusion = await submit(api, tx, signer);
  const requested = eventData(inclusion, 'services', 'Requested');
  return {
    instance: requested.instance.toNumber(),
    provider: requested.provider.toString(),
    fee: requested.fee.toBigInt(),
    deadline: requested.deadline.toNumber(),
    inclusion,
  };
}

/**
 * Submits the result of `instance` (its hash) with an evidence post, which opens the validation
 * pool that judges it. Resolves with the evidence post and the pool.
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {import('@polkadot/api/types').AddressOrPair} signer the instance's provider
 * @param {object} result
 * @param {number | bigint} result.instance
 * @param {string} result.result the result, or its 32-byte hash
 * @param {string} result.evidence the evidence, or its 32-byte hash
 * @returns {Promise<{ post: number, pool: number, inclusion: import('./submit.mjs').Inclusion }>}
 */
export async function submitResult(api, signer, { instance, result, evidence }) {
  const inclusion = await submit(api, api.tx.services.submitResult(instance, hash32(result), hash32(evidence)), signer);
  const submitted = eventData(inclusion, 'services', 'ResultSubmitted');
  return { post: submitted.post.toNumber(), pool: submitted.pool.toNumber(), inclusion };
}

/**
 * The offers of `serviceType` as plain objects (the services_offers RPC, served from the
 * runtime's ServicesApi): provider, capacity, used, rate, endpoint, stake, ...
 *
 * @param {import('@polkadot/api').ApiPromise} api connected with the GPoW definitions
 * @param {number} serviceType
 * @returns {Promise<Array<Record<string, any>>>}
 */
export async function offers(api, serviceType) {
  return (await /** @type {any} */ (api.rpc).services.offers(serviceType)).map((/** @type {any} */ o) => o.toJSON());
}

/**
 * Instance `id` as a plain object with its status (services_instance), or null.
 *
 * @param {import('@polkadot/api').ApiPromise} api connected with the GPoW definitions
 * @param {number | bigint} id
 * @returns {Promise<Record<string, any> | null>}
 */
export async function instance(api, id) {
  const found = await /** @type {any} */ (api.rpc).services.instance(id);
  return found.isSome ? found.unwrap().toJSON() : null;
}

/** `value` if it is a 0x-prefixed 32-byte hash, else its blake2-256 hash. */
function hash32(/** @type {string} */ value) {
  return /^0x[0-9a-fA-F]{64}$/.test(value) ? value : blake2AsHex(value);
}
