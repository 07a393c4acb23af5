// Waiting for the chain: the best block reaching a number.

/**
 * Resolves with the first new best head whose number is >= `number`; rejects after `timeoutMs`.
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {number} number
 * @param {number} [timeoutMs]
 * @returns {Promise<import('@polkadot/types/interfaces').Header>}
 */
export function untilBlock(api, number, timeoutMs = 180_000) {
  /** @type {(() => void) | undefined} */
  let unsub;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  return new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for block #${number}`)), timeoutMs);
    api.rpc.chain
      .subscribeNewHeads((header) => {
        if (header.number.toNumber() >= number) resolve(header);
      })
      .then((u) => {
        unsub = u;
      })
      .catch(reject);
  }).finally(() => {
    clearTimeout(timer);
    if (unsub) unsub();
  });
}
