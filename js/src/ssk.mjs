// SSK on chain (pallets/ssk): publish an X25519 key, seal a fresh K_S to a peer's published key
// and post the envelope, open the latest envelope from a peer.

import { u8aToHex } from '@polkadot/util';

import { openSsk, sealSsk, SUITE } from './ssk-envelope.mjs';
import { eventData, signerAddress, submit } from './submit.mjs';

/**
 * Publishes `publicKey` (32 bytes, X25519) as the signer's encryption key; a new key replaces the
 * old one with the next version. Resolves with the published version and the inclusion.
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {import('@polkadot/api/types').AddressOrPair} signer
 * @param {Uint8Array | string} publicKey
 * @returns {Promise<{ version: number, inclusion: import('./submit.mjs').Inclusion }>}
 */
export async function publishKey(api, signer, publicKey) {
  const inclusion = await submit(api, api.tx.ssk.publishKey(typeof publicKey === 'string' ? publicKey : u8aToHex(publicKey)), signer);
  return { version: eventData(inclusion, 'ssk', 'KeyPublished').version.toNumber(), inclusion };
}

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
export async function sealTo(api, signer, { senderKeyPair, to, epoch, expiry = null }) {
  const key = await /** @type {any} */ (api.rpc).ssk.encryptionKey(to);
  if (key.isNone) throw new Error(`${to} has published no SSK encryption key`);
  const { version, key: recipientPublicKey } = key.unwrap();
  const header = { suite: SUITE, epoch: BigInt(epoch), recipientKeyVersion: version.toNumber(), expiry };
  const from = signerAddress(signer);
  const sealed = await sealSsk({
    senderKeyPair,
    recipientPublicKey: recipientPublicKey.toU8a(true),
    genesis: api.genesisHash.toU8a(),
    from,
    to,
    header,
  });
  const tx = api.tx.ssk.postEnvelope(to, header, u8aToHex(sealed.enc), u8aToHex(sealed.ciphertext));
  return { ssk: sealed.ssk, inclusion: await submit(api, tx, signer) };
}

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
export async function openFrom(api, { recipientKeyPair, from, to }) {
  const { ssk } = /** @type {any} */ (api.rpc);
  const [latest, senderKey] = await Promise.all([ssk.latest(from, to), ssk.encryptionKey(from)]);
  if (latest.isNone) return null;
  if (senderKey.isNone) throw new Error(`${from} has published no SSK encryption key`);
  return openSsk({
    recipientKeyPair,
    senderPublicKey: senderKey.unwrap().key.toU8a(true),
    genesis: api.genesisHash.toU8a(),
    from,
    to,
    envelope: latest.unwrap(),
  });
}
