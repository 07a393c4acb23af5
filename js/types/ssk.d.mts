/**
 * Publishes `publicKey` (32 bytes, X25519) as the signer's encryption key; a new key replaces the
 * old one with the next version. Resolves with the published version and the inclusion.
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {import('@polkadot/api/types').AddressOrPair} signer
 * @param {Uint8Array | string} publicKey
 * @returns {Promise<{ version: number, inclusion: import('./submit.mjs').Inclusion }>}
 */
export function publishKey(api: import("@polkadot/api").ApiPromise, signer: import("@polkadot/api/types").AddressOrPair, publicKey: Uint8Array | string): Promise<{
    version: number;
    inclusion: import("./submit.mjs").Inclusion;
}>;
/**
 * Draws a fresh K_S, seals it from the signer (`senderKeyPair`, its published key pair) to `to`'s
 * published key and posts the envelope. Resolves with K_S (32 bytes) and the inclusion.
 *
 * @param {import('@polkadot/api').ApiPromise} api connected with the GPoW definitions (`api.rpc.ssk`)
 * @param {import('@polkadot/api/types').AddressOrPair} signer the sender's account
 * @param {object} envelope
 * @param {CryptoKeyPair} envelope.senderKeyPair the sender's X25519 key pair (`generateKeyPair().keyPair`)
 * @param {string} envelope.to the recipient's account (SS58)
 * @param {number | bigint} envelope.epoch higher than the pair's last envelope
 * @param {number | null} [envelope.expiry] the block after which the SSK expires, or null
 * @returns {Promise<{ ssk: Uint8Array, inclusion: import('./submit.mjs').Inclusion }>}
 */
export function sealTo(api: import("@polkadot/api").ApiPromise, signer: import("@polkadot/api/types").AddressOrPair, { senderKeyPair, to, epoch, expiry }: {
    senderKeyPair: CryptoKeyPair;
    to: string;
    epoch: number | bigint;
    expiry?: number | null;
}): Promise<{
    ssk: Uint8Array;
    inclusion: import("./submit.mjs").Inclusion;
}>;
/**
 * Opens the latest envelope from `from` to `to` (the caller, holding `recipientKeyPair`),
 * authenticated by `from`'s published key. Resolves with K_S, or null when there is none.
 *
 * @param {import('@polkadot/api').ApiPromise} api connected with the GPoW definitions (`api.rpc.ssk`)
 * @param {object} envelope
 * @param {CryptoKeyPair} envelope.recipientKeyPair the recipient's X25519 key pair
 * @param {string} envelope.from the sender's account (SS58)
 * @param {string} envelope.to the recipient's account (SS58)
 * @returns {Promise<Uint8Array | null>}
 */
export function openFrom(api: import("@polkadot/api").ApiPromise, { recipientKeyPair, from, to }: {
    recipientKeyPair: CryptoKeyPair;
    from: string;
    to: string;
}): Promise<Uint8Array | null>;
