/** The HPKE suite 1 on @hpke/core. */
export function hpkeSuite(): CipherSuite;
/** 32 account bytes from an SS58 address, hex or bytes. */
export function accountBytes(account: any): Uint8Array<ArrayBufferLike>;
/** HPKE info: "gpow-ssk-v1" || genesis || sender || receiver || epoch (u64 LE), 115 bytes. */
export function bindingInfo(genesis: any, sender: any, receiver: any, epoch: any): Uint8Array<ArrayBufferLike>;
/** HPKE aad: the SCALE encoding of { suite, epoch, recipientKeyVersion, expiry }. */
export function headerAad({ suite, epoch, recipientKeyVersion, expiry }: {
    suite: any;
    epoch: any;
    recipientKeyVersion: any;
    expiry: any;
}): Uint8Array<ArrayBufferLike>;
/** A fresh X25519 key pair: { keyPair (for @hpke), publicKey (32 bytes), secretKey (32 bytes) }. */
export function generateKeyPair(suite?: CipherSuite): Promise<{
    keyPair: CryptoKeyPair;
    publicKey: Uint8Array<ArrayBuffer>;
    secretKey: Uint8Array<ArrayBuffer>;
}>;
/**
 * Draws K_S and seals it (Auth mode) from `senderKeyPair` to `recipientPublicKey` for the pair
 * (from, to) at `header.epoch`. Resolves with { ssk, enc, ciphertext } (Uint8Arrays).
 */
export function sealSsk({ suite, senderKeyPair, recipientPublicKey, genesis, from, to, header }: {
    suite?: CipherSuite;
    senderKeyPair: any;
    recipientPublicKey: any;
    genesis: any;
    from: any;
    to: any;
    header: any;
}): Promise<{
    ssk: Uint8Array<ArrayBuffer>;
    enc: Uint8Array<ArrayBuffer>;
    ciphertext: Uint8Array<ArrayBuffer>;
}>;
/**
 * Opens an envelope ({ suite, epoch, recipientKeyVersion, expiry, enc, ciphertext }, as
 * ssk_latest returns it or as @polkadot/api decodes it) with `recipientKeyPair`, authenticated
 * by `senderPublicKey`. Resolves with K_S.
 */
export function openSsk({ suite, recipientKeyPair, senderPublicKey, genesis, from, to, envelope }: {
    suite?: CipherSuite;
    recipientKeyPair: any;
    senderPublicKey: any;
    genesis: any;
    from: any;
    to: any;
    envelope: any;
}): Promise<Uint8Array<ArrayBuffer>>;
export const SUITE: 1;
export const INFO_DOMAIN: Uint8Array<ArrayBufferLike>;
export const INFO_LEN: 115;
export const SSK_LEN: 32;
import { CipherSuite } from '@hpke/core';
