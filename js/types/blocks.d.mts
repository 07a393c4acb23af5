/**
 * Resolves with the first new best head whose number is >= `number`; rejects after `timeoutMs`.
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {number} number
 * @param {number} [timeoutMs]
 * @returns {Promise<import('@polkadot/types/interfaces').Header>}
 */
export function untilBlock(api: import("@polkadot/api").ApiPromise, number: number, timeoutMs?: number): Promise<import("@polkadot/types/interfaces").Header>;
