//! # GPoW Sustainable Symmetric Key (SSK)
//!
//! The cryptography that dapps and the CLI use to agree on a symmetric key through the chain and
//! then protect their traffic with it.
//!
//! ## Overview
//!
//! 1. Every account registers on chain a versioned X25519 encryption public key
//!    ([`EncryptionKeyPair::public`]).
//! 2. Node A wants to talk to node B. A draws a fresh random 32-byte key `K_S`, the *Sustainable
//!    Symmetric Key* ([`Ssk`]), and seals it to B's registered key with HPKE in Auth mode
//!    ([`seal`]). Auth mode also proves that the envelope comes from the holder of A's registered
//!    encryption key; the extrinsic that posts it is signed by A's account.
//! 3. A posts the [`Envelope`] on chain once. The chain keeps, per (A, B), the latest one.
//! 4. B reads it and opens it ([`open`], or [`Party::open`] with its cache) with its secret key
//!    and A's registered public key, and obtains the same `K_S`.
//! 5. From then on A and B protect all their messages with a [`Session`] keyed by `K_S`.
//! 6. To rotate, A posts a new envelope with a higher epoch; B always takes the latest.
//!
//! ## Terms
//!
//! - **Epoch**: a `u64` that grows with every envelope A posts to B; each epoch has its own SSK.
//! - **Binding** ([`Binding`]): genesis hash, sender account (A), receiver account (B) and epoch.
//!   An envelope opens only under the binding it was sealed under, so it cannot be replayed on
//!   another chain, between other parties or as another epoch.
//! - **Envelope** ([`Envelope`]): the clear [`EnvelopeHeader`], HPKE `enc` and ciphertext.
//! - **Party** ([`Party`]): a key pair plus a cache of static-static Diffie-Hellman results.
//!
//! ## Shared formats
//!
//! The on-chain formats come from `gpow-primitives-ssk`, the crate the pallet and the runtime API
//! use, and are re-exported here: [`EnvelopeHeader`] (extended by [`EnvelopeHeaderExt`] with a
//! suite-1 constructor, the `aad` and the checks), [`binding_info`] / [`INFO_DOMAIN`] /
//! [`INFO_LEN`], [`SUITE_HPKE_AUTH_X25519_SHA256_CHACHA20POLY1305`], [`SUPPORTED_SUITES`], and the
//! whole crate as [`primitives`]. [`ChainEnvelope`] is the chain's `Envelope<Vec<u8>>`; it
//! converts to and from this crate's fixed-size [`Envelope`].
//!
//! ## Envelope format (suite 1)
//!
//! - Suite id [`SUITE_HPKE_AUTH_X25519_SHA256_CHACHA20POLY1305`] `= 1`: RFC 9180 HPKE, **Auth
//!   mode** (0x02), KEM DHKEM(X25519, HKDF-SHA256) (0x0020), KDF HKDF-SHA256 (0x0001), AEAD
//!   ChaCha20-Poly1305 (0x0003). Other ids are refused ([`Error::UnsupportedSuite`]).
//! - HPKE `info` ([`Binding::info`], 115 bytes) = ASCII `gpow-ssk-v1` (11) || genesis hash (32)
//!   || sender account (32) || receiver account (32) || epoch (`u64` little-endian, 8).
//! - HPKE `aad` ([`EnvelopeHeaderExt::aad`]) = SCALE encoding of the header `{ suite: u16, epoch:
//!   u64, recipient_key_version: u32, expiry: Option<u32> }`: `u16 LE || u64 LE || u32 LE ||
//!   (0x00 | 0x01 || u32 LE)`. The clear epoch must equal the binding's.
//! - Plaintext = `K_S` (32 random bytes); single-shot `SealAuth` (sequence number 0).
//! - Envelope = header || `enc` (32 bytes) || `ciphertext` (48 bytes: 32 + 16-byte tag). Its
//!   SCALE encoding ([`Envelope::to_bytes`], `codec::Encode`) is the chain's, where the
//!   ciphertext is a byte vector: header || `enc` || `0xc0` (compact length 48) || ciphertext,
//!   96 bytes, 100 with an expiry. Any RFC 9180 implementation opens it, e.g. `@hpke/core` with
//!   `@hpke/dhkem-x25519` and `@hpke/chacha20poly1305` in `Mode.Auth`, `info` and `aad` as
//!   above, `enc` and the 48 ciphertext bytes as they are.
//!
//! [`open`] checks the suite, that the header epoch equals the binding epoch, then HPKE: the
//! sender's key (Auth mode), genesis, parties and epoch (in `info`) and the whole header (in
//! `aad`). A failure of the HPKE AEAD cannot say *which* of these was wrong; see [`Error`].
//!
//! ### Speed: the static-static cache
//!
//! Auth-mode decapsulation computes `DH(skR, pkE)` and `DH(skR, pkS)`. The second depends only
//! on the two long-term keys (and equals the sender's `DH(skS, pkR)`), so [`Party`] computes it
//! once per peer key and keeps it in a bounded cache: opening then costs one X25519 operation.
//! This is why the crate implements the DHKEM and the key schedule itself on top of
//! `x25519-dalek`, `hkdf`/`sha2` and `chacha20poly1305` (no hand-rolled primitive); the tests
//! prove equivalence with the `hpke` crate in both directions and with the RFC 9180 A.2.3 test
//! vector.
//!
//! ## Traffic
//!
//! A [`Session`] protects messages in both directions with keys derived from `K_S`:
//!
//! - Direction root: `PRK = HKDF-Extract(salt = "gpow-ssk-traffic-v1", K_S)`, then
//!   `root = HKDF-Expand(PRK, "gpow-ssk-traffic-v1" || dir || genesis || from || to || epoch LE,
//!   32)` with `dir = 0x01`, `from = sender`, `to = receiver` for A→B and `dir = 0x02`,
//!   `from = receiver`, `to = sender` for B→A. The two directions never share a key, even when
//!   A and B are the same account.
//! - Ratchet: each message has its own key, and a key is erased as soon as it is used or
//!   skipped, so a state leaked later exposes no earlier message of the epoch. Counters
//!   `2^k ..= 2^(k+1) - 1` form block `k`. The spine `S_0 = root`, `S_(k+1) || T_k =
//!   HKDF-Expand(S_k, "gpow-ssk spine", 64)` gives the root `T_k` of block `k`, a complete
//!   binary tree of depth `k` where a node `N` has children `L || R = HKDF-Expand(N, "gpow-ssk
//!   node", 64)`. The key of counter `n` is the leaf reached from `T_k`, `k = floor(log2 n)`, by
//!   the bits of `n - 2^k` from the most significant (0 = left). Why a tree rather than a plain
//!   chain: a receiver may skip counters (gaps are allowed), and a plain chain would cost one
//!   HKDF per skipped message, so a forged counter near `2^64` would stall it (or need a
//!   skip limit that can lock a session out for good). Here the sequential cost stays one
//!   HKDF-Expand per message on average, the first message costs one, any jump costs at most
//!   128, and the state is at most 64 pending subtree keys. The key advances every message.
//! - AEAD: **AES-256-GCM** (`aes-gcm` on AES-NI/PCLMULQDQ), nonce = counter `u64 LE || 0u32`.
//!   Chosen over ChaCha20-Poly1305 because it is faster on the project's machines (2-core
//!   x86-64 with AES-NI, PCLMULQDQ, AVX2; `benches/ssk.rs`, 64 KiB: AES-256-GCM 1.47 GB/s,
//!   ChaCha20-Poly1305 1.19 GB/s, both on their run-time-detected hardware backends; forcing
//!   the software backends gives 0.11 and 0.42 GB/s) and because browsers have it natively in
//!   WebCrypto, which lacks ChaCha20-Poly1305. On a CPU without AES-NI the `aes` crate falls
//!   back to a constant-time software implementation: still safe, about 10 times slower.
//! - Frame: `version (0x01) || epoch (u64 LE) || counter (u64 LE) || ciphertext || tag (16)`;
//!   the 17-byte header is the AEAD associated data. Counters start at 1.
//! - The receiver refuses truncated frames, unknown versions, frames of another epoch, counters
//!   not above the last accepted one (replayed or reordered), and frames that do not
//!   authenticate; a refused frame leaves the state unchanged.
//!
//! A session's state can be kept between runs of a program: [`Session::export_state`] serializes
//! it (the counters, the replay window and the ratchet keys of later messages, never `K_S`) and
//! [`Session::import_state`] restores it after checking every invariant. An older copy of a state
//! must never be restored (it would reuse message keys); the `gpow-ssk` tool keeps it in a
//! locked, authenticated state file.
//!
//! What the ratchet does and does not protect: a [`Session`] state captured later (memory dump,
//! swapped-out process) reveals no key of a message already sent or received. It cannot protect
//! against a later leak of `K_S` itself, nor of B's encryption secret key (which reopens the
//! envelope, still on chain): either gives every message of that epoch. So drop the [`Ssk`] once
//! the sessions are built, rotate epochs, and delete retired encryption keys. Erasure is best
//! effort: the SSK, key pairs, cached Diffie-Hellman results and ratchet keys are overwritten
//! (`zeroize`) when replaced or dropped, but temporary copies the compiler makes are not tracked.
//!
//! ## Command-line tool
//!
//! With the default feature `cli`, the crate builds `gpow-ssk` (`src/bin/gpow-ssk.rs`): `keygen`,
//! `pubkey`, `seal`, `open` (from a file or from a node with `--rpc`), `encrypt` and `decrypt`
//! (with a persisted session). See the crate's `README.md`. Library users who do not want its
//! dependencies (clap, serde, an HTTP client) turn the feature off.
//!
//! ## Example
//!
//! ```
//! use gpow_client_ssk::{open, seal, Binding, EncryptionKeyPair, EnvelopeHeader};
//! use gpow_client_ssk::{EnvelopeHeaderExt, Party, Role, Session};
//!
//! # fn main() -> Result<(), gpow_client_ssk::Error> {
//! let alice = EncryptionKeyPair::generate()?; // A's key, registered on chain
//! let bob = EncryptionKeyPair::generate()?; // B's key (version 1), registered on chain
//! let binding = Binding { genesis: [0x11; 32], sender: [0xaa; 32], receiver: [0xbb; 32], epoch: 1 };
//!
//! // A seals a fresh SSK to B and posts `envelope.to_bytes()` on chain.
//! let (envelope, ssk_a) = seal(&alice, &bob.public(), &binding, EnvelopeHeader::new(1, 1, None))?;
//!
//! // B opens it with its key and A's registered key (a `Party` caches the static-static DH).
//! let mut bob_party = Party::new(bob).with_key_version(1);
//! let ssk_b = bob_party.open(&alice.public(), &binding, &envelope)?;
//! assert_eq!(ssk_a.as_bytes(), ssk_b.as_bytes());
//! # let _ = open;
//!
//! // Both protect their traffic with it.
//! let mut a = Session::new(&ssk_a, &binding, Role::Initiator)?;
//! let mut b = Session::new(&ssk_b, &binding, Role::Responder)?;
//! let frame = a.encrypt(b"hello B")?;
//! assert_eq!(b.decrypt(&frame)?, b"hello B");
//! assert!(b.decrypt(&frame).is_err()); // replay refused
//! let reply = b.encrypt(b"hello A")?;
//! assert_eq!(a.decrypt(&reply)?, b"hello A");
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]

mod envelope;
mod error;
mod hpke;
mod keys;
mod session;

pub use envelope::{
	binding_info, AccountId, Binding, ChainEnvelope, Envelope, EnvelopeHeader, EnvelopeHeaderExt,
	CIPHERTEXT_LEN, CIPHERTEXT_LEN_PREFIX, ENC_LEN, ENVELOPE_LEN_NO_EXPIRY,
	ENVELOPE_LEN_WITH_EXPIRY, INFO_DOMAIN, INFO_LEN,
	SUITE_HPKE_AUTH_X25519_SHA256_CHACHA20POLY1305, SUPPORTED_SUITES,
};
pub use error::{Error, Result};
/// The shared on-chain formats (`gpow-primitives-ssk`), re-exported whole.
pub use gpow_primitives_ssk as primitives;
pub use hpke::{open, seal, Party, DEFAULT_CACHE_CAPACITY};
pub use keys::{EncryptionKeyPair, Ssk, KEY_LEN, SSK_LEN};
pub use session::{
	Inbound, Outbound, Role, Session, FRAME_HEADER_LEN, FRAME_OVERHEAD, FRAME_TAG_LEN,
	FRAME_VERSION, SESSION_STATE_MAX_LEN, SESSION_STATE_VERSION,
};
