/**
 * @typedef {object} Inclusion
 * @property {import('@polkadot/types/interfaces').BlockHash} blockHash the block the extrinsic is in
 * @property {number} number that block's number
 * @property {number} index the extrinsic's index in the block
 * @property {import('@polkadot/types/interfaces').EventRecord[]} events the extrinsic's own events
 * @property {import('@polkadot/types/interfaces').EventRecord[]} allEvents every event of the block
 * @property {import('./errors.mjs').DescribedError | null} error why it failed (`ExtrinsicFailed`, or the inner call of `sudo.sudo` in `Sudid`), or null
 */
/**
 * @typedef {object} SendOptions
 * @property {number} [nonce] the signer's nonce (default: the pool's next)
 * @property {bigint | number} [tip]
 * @property {number} [era] mortality (0: immortal)
 * @property {number} [timeoutMs] how long to wait for inclusion (default INCLUSION_TIMEOUT_MS)
 */
/**
 * Signs and sends `tx` from `signer` and resolves once it is in a block, whether its dispatch
 * succeeded or not (see `error`). Rejects when the pool refuses it (the refusal in words), when it
 * is dropped, invalid or usurped, or after `timeoutMs`.
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {import('@polkadot/api/types').SubmittableExtrinsic<'promise'>} tx
 * @param {import('@polkadot/api/types').AddressOrPair} signer a keyring pair, or an address with `options.signer` (e.g. a browser extension's)
 * @param {SendOptions & Partial<import('@polkadot/api/types').SignerOptions>} [options]
 * @returns {Promise<Inclusion>}
 */
export function sendInBlock(api: import("@polkadot/api").ApiPromise, tx: import("@polkadot/api/types").SubmittableExtrinsic<"promise">, signer: import("@polkadot/api/types").AddressOrPair, options?: SendOptions & Partial<import("@polkadot/api/types").SignerOptions>): Promise<Inclusion>;
/**
 * Like `sendInBlock`, and requires the dispatch to succeed: rejects with an Error whose message
 * is the dispatch error in words (`reputation.InsufficientRep: ...`), the described error in its
 * `dispatch` property.
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {import('@polkadot/api/types').SubmittableExtrinsic<'promise'>} tx
 * @param {import('@polkadot/api/types').AddressOrPair} signer
 * @param {SendOptions & Partial<import('@polkadot/api/types').SignerOptions>} [options]
 * @returns {Promise<Inclusion>}
 */
export function submit(api: import("@polkadot/api").ApiPromise, tx: import("@polkadot/api/types").SubmittableExtrinsic<"promise">, signer: import("@polkadot/api/types").AddressOrPair, options?: SendOptions & Partial<import("@polkadot/api/types").SignerOptions>): Promise<Inclusion>;
/**
 * The address of a signer (a keyring pair, or an address).
 *
 * @param {import('@polkadot/api/types').AddressOrPair} signer
 * @returns {string}
 */
export function signerAddress(signer: import("@polkadot/api/types").AddressOrPair): string;
/**
 * The data of the first event `section.method` among an inclusion's events, or undefined.
 *
 * @param {Inclusion} inclusion
 * @param {string} section e.g. `reputation`
 * @param {string} method e.g. `PostAdded`
 * @returns {any}
 */
export function eventData(inclusion: Inclusion, section: string, method: string): any;
/** How long `submit` and `sendInBlock` wait for inclusion by default. */
export const INCLUSION_TIMEOUT_MS: 240000;
export type Inclusion = {
    /**
     * the block the extrinsic is in
     */
    blockHash: import("@polkadot/types/interfaces").BlockHash;
    /**
     * that block's number
     */
    number: number;
    /**
     * the extrinsic's index in the block
     */
    index: number;
    /**
     * the extrinsic's own events
     */
    events: import("@polkadot/types/interfaces").EventRecord[];
    /**
     * every event of the block
     */
    allEvents: import("@polkadot/types/interfaces").EventRecord[];
    /**
     * why it failed (`ExtrinsicFailed`, or the inner call of `sudo.sudo` in `Sudid`), or null
     */
    error: import("./errors.mjs").DescribedError | null;
};
export type SendOptions = {
    /**
     * the signer's nonce (default: the pool's next)
     */
    nonce?: number;
    tip?: bigint | number;
    /**
     * mortality (0: immortal)
     */
    era?: number;
    /**
     * how long to wait for inclusion (default INCLUSION_TIMEOUT_MS)
     */
    timeoutMs?: number;
};
