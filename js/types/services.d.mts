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
export function offer(api: import("@polkadot/api").ApiPromise, signer: import("@polkadot/api/types").AddressOrPair, { serviceType, capacity, rate, endpoint, stake }: {
    serviceType: number;
    capacity: number | bigint;
    rate: bigint | number | string;
    endpoint?: string;
    stake?: bigint | number | string;
}): Promise<{
    offer: number;
    inclusion: import("./submit.mjs").Inclusion;
}>;
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
export function request(api: import("@polkadot/api").ApiPromise, signer: import("@polkadot/api/types").AddressOrPair, { serviceType, definition, volume, maxRate, payload, provider }: {
    serviceType: number;
    definition: string;
    volume: number | bigint;
    maxRate: bigint | number | string;
    payload?: string | Uint8Array;
    provider?: string | null;
}): Promise<{
    instance: number;
    provider: string;
    fee: bigint;
    deadline: number;
    inclusion: import("./submit.mjs").Inclusion;
}>;
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
export function submitResult(api: import("@polkadot/api").ApiPromise, signer: import("@polkadot/api/types").AddressOrPair, { instance, result, evidence }: {
    instance: number | bigint;
    result: string;
    evidence: string;
}): Promise<{
    post: number;
    pool: number;
    inclusion: import("./submit.mjs").Inclusion;
}>;
/**
 * The offers of `serviceType` as plain objects (the services_offers RPC, served from the
 * runtime's ServicesApi): provider, capacity, used, rate, endpoint, stake, ...
 *
 * @param {import('@polkadot/api').ApiPromise} api connected with the GPoW definitions
 * @param {number} serviceType
 * @returns {Promise<Array<Record<string, any>>>}
 */
export function offers(api: import("@polkadot/api").ApiPromise, serviceType: number): Promise<Array<Record<string, any>>>;
/**
 * Instance `id` as a plain object with its status (services_instance), or null.
 *
 * @param {import('@polkadot/api').ApiPromise} api connected with the GPoW definitions
 * @param {number | bigint} id
 * @returns {Promise<Record<string, any> | null>}
 */
export function instance(api: import("@polkadot/api").ApiPromise, id: number | bigint): Promise<Record<string, any> | null>;
