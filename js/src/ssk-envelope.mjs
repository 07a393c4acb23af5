// The SSK envelope format of primitives/ssk on @hpke/core (RFC 9180), for dapps and the tests:
//
//   suite 1 = HPKE Auth mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305
//   info    = "gpow-ssk-v1" || genesis hash (32) || sender account (32) || receiver account (32)
//             || epoch (u64 LE)                                                   -- 115 bytes
//   aad     = SCALE(EnvelopeHeader) = suite (u16 LE) || epoch (u64 LE)
//             || recipientKeyVersion (u32 LE) || expiry (0x00 | 0x01 || u32 LE)
//   plaintext = K_S (32 random bytes), single-shot seal; ciphertext = 48 bytes (with the tag)

import { Chacha20Poly1305 } from '@hpke/chacha20poly1305';
import { CipherSuite, HkdfSha256 } from '@hpke/core';
import { DhkemX25519HkdfSha256 } from '@hpke/dhkem-x25519';
import { hexToU8a, stringToU8a, u8aConcat } from '@polkadot/util';
import { decodeAddress } from '@polkadot/util-crypto';

export const SUITE = 1;
export const INFO_DOMAIN = stringToU8a('gpow-ssk-v1');
export const INFO_LEN = 115;
export const SSK_LEN = 32;

/** The HPKE suite 1 on @hpke/core. */
export function hpkeSuite() {
  return new CipherSuite({
    kem: new DhkemX25519HkdfSha256(),
    kdf: new HkdfSha256(),
    aead: new Chacha20Poly1305(),
  });
}

function u64le(value) {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value), true);
  return out;
}

function u32le(value) {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, Number(value), true);
  return out;
}

function u16le(value) {
  const out = new Uint8Array(2);
  new DataView(out.buffer).setUint16(0, Number(value), true);
  return out;
}

/** 32 account bytes from an SS58 address, hex or bytes. */
export function accountBytes(account) {
  const bytes = typeof account === 'string' && !account.startsWith('0x') ? decodeAddress(account) : hexToU8a(account);
  if (bytes.length !== 32) throw new Error(`account ${account} is not 32 bytes`);
  return bytes;
}

function bytes32(value, what) {
  const bytes = value instanceof Uint8Array ? value : hexToU8a(value.toString());
  if (bytes.length !== 32) throw new Error(`${what} is ${bytes.length} bytes, expected 32`);
  return bytes;
}

/** HPKE info: "gpow-ssk-v1" || genesis || sender || receiver || epoch (u64 LE), 115 bytes. */
export function bindingInfo(genesis, sender, receiver, epoch) {
  const info = u8aConcat(INFO_DOMAIN, bytes32(genesis, 'genesis'), accountBytes(sender), accountBytes(receiver), u64le(epoch));
  if (info.length !== INFO_LEN) throw new Error(`info is ${info.length} bytes`);
  return info;
}

/** HPKE aad: the SCALE encoding of { suite, epoch, recipientKeyVersion, expiry }. */
export function headerAad({ suite, epoch, recipientKeyVersion, expiry }) {
  const option = expiry === null || expiry === undefined ? Uint8Array.of(0) : u8aConcat([1], u32le(expiry));
  return u8aConcat(u16le(suite), u64le(epoch), u32le(recipientKeyVersion), option);
}

/** A fresh X25519 key pair: { keyPair (for @hpke), publicKey (32 bytes), secretKey (32 bytes) }. */
export async function generateKeyPair(suite = hpkeSuite()) {
  const keyPair = await suite.kem.generateKeyPair();
  const publicKey = new Uint8Array(await suite.kem.serializePublicKey(keyPair.publicKey));
  const secretKey = new Uint8Array(await suite.kem.serializePrivateKey(keyPair.privateKey));
  return { keyPair, publicKey, secretKey };
}

/**
 * Draws K_S and seals it (Auth mode) from `senderKeyPair` to `recipientPublicKey` for the pair
 * (from, to) at `header.epoch`. Resolves with { ssk, enc, ciphertext } (Uint8Arrays).
 */
export async function sealSsk({ suite = hpkeSuite(), senderKeyPair, recipientPublicKey, genesis, from, to, header }) {
  const ssk = globalThis.crypto.getRandomValues(new Uint8Array(SSK_LEN));
  const recipient = await suite.kem.deserializePublicKey(bytes32(recipientPublicKey, 'recipient key'));
  const { ct, enc } = await suite.seal(
    { recipientPublicKey: recipient, senderKey: senderKeyPair, info: bindingInfo(genesis, from, to, header.epoch) },
    ssk,
    headerAad(header),
  );
  return { ssk, enc: new Uint8Array(enc), ciphertext: new Uint8Array(ct) };
}

/**
 * Opens an envelope ({ suite, epoch, recipientKeyVersion, expiry, enc, ciphertext }, as
 * ssk_latest returns it or as @polkadot/api decodes it) with `recipientKeyPair`, authenticated
 * by `senderPublicKey`. Resolves with K_S.
 */
export async function openSsk({ suite = hpkeSuite(), recipientKeyPair, senderPublicKey, genesis, from, to, envelope }) {
  const header = {
    suite: Number(envelope.suite.toString()),
    epoch: BigInt(envelope.epoch.toString()),
    recipientKeyVersion: Number(envelope.recipientKeyVersion.toString()),
    expiry: optionalNumber(envelope.expiry),
  };
  if (header.suite !== SUITE) throw new Error(`unsupported suite ${header.suite}`);
  const sender = await suite.kem.deserializePublicKey(bytes32(senderPublicKey, 'sender key'));
  const pt = await suite.open(
    {
      recipientKey: recipientKeyPair,
      enc: toU8a(envelope.enc),
      senderPublicKey: sender,
      info: bindingInfo(genesis, from, to, header.epoch),
    },
    toU8a(envelope.ciphertext),
    headerAad(header),
  );
  return new Uint8Array(pt);
}

function toU8a(value) {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return hexToU8a(value);
  if (value && typeof value.toU8a === 'function') return value.toU8a(true);
  throw new Error(`cannot turn ${value} into bytes`);
}

function optionalNumber(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value.isSome === 'boolean') return value.isSome ? value.unwrap().toNumber() : null;
  return Number(value.toString());
}
