//! Stateless challenges: cookie MACs under rotating secrets, the connection pre-image, the
//! handshake transcripts and the bounded replay cache.
//!
//! ## Cookie
//!
//! ```text
//! tag = BLAKE2b(key = secret[key_id], out = 16 bytes, personal = "gpow-gate-cookie",
//!               0x01 ++ key_id_le ++ challenge ++ initiator ++ responder ++ issued_at_le
//!               ++ effort_le)
//! ```
//!
//! BLAKE2b in keyed mode is a MAC by design (RFC 7693 §2.9). The state after the key block is
//! computed once per secret and cloned per tag, so a tag costs one compression. Endpoints are SCALE-encoded
//! [`Endpoint`]s (kind byte, address, port). The responder keeps two secrets, the current and
//! the previous; a tag made under an older one is refused. Tags are compared in constant time
//! (`subtle`). The cookie is authenticated, not encrypted: nothing in it is secret.
//!
//! ## Connection pre-image
//!
//! ```text
//! pre_image = blake2_256("gpow-gate/conn-init/v1" ++ challenge ++ initiator ++ responder
//!                        ++ issued_at_le)
//! work      = blake2_256(pre_image ++ nonce_le), valid iff it meets cookie.effort
//! ```
//!
//! ## Replay cache
//!
//! A cookie may be answered once. Accepted tags are kept until their cookie expires, in buckets
//! keyed by expiry time (`bucket = expires_at / bucket_ms`): a replay falls in the same bucket as
//! the original, and whole buckets are dropped once every cookie in them has expired. Memory is
//! bounded by `capacity` tags (about 32 bytes each with hash-set overhead). **When the cache is
//! full of unexpired tags it refuses new proofs** ([`ProofError::ReplayCacheFull`]) rather than
//! forget a recent tag, which would let that cookie be replayed. Filling it takes `capacity`
//! valid proofs within one cookie lifetime, i.e. `capacity * effort` hashes; the refusal ends
//! as soon as the oldest bucket expires.

use crate::wire::{Cookie, Endpoint, GateId};
use std::{
	collections::{BTreeMap, HashSet},
	hash::{BuildHasherDefault, Hasher},
};
use subtle::ConstantTimeEq;

/// Personalization of the cookie MAC (exactly 16 bytes).
pub const COOKIE_PERSONAL: &[u8; 16] = b"gpow-gate-cookie";
/// Domain separator of the connection pre-image.
pub const CONN_PRE_IMAGE_DOMAIN: &[u8] = b"gpow-gate/conn-init/v1";
/// Domain separator of the initiator's handshake signature.
pub const INIT_TRANSCRIPT_DOMAIN: &[u8] = b"gpow-gate/conn-proof/v1";
/// Domain separator of the responder's handshake signature.
pub const OK_TRANSCRIPT_DOMAIN: &[u8] = b"gpow-gate/conn-ok/v1";

/// A small stack buffer that SCALE can write into (no allocation on the hot path).
struct StackBuf {
	buf: [u8; 128],
	len: usize,
}

impl StackBuf {
	fn new() -> Self {
		StackBuf { buf: [0u8; 128], len: 0 }
	}
	fn as_slice(&self) -> &[u8] {
		&self.buf[..self.len]
	}
}

impl codec::Output for StackBuf {
	fn write(&mut self, bytes: &[u8]) {
		// Inputs are fixed-size and at most 22 + 16 + 2 * 19 + 8 = 84 bytes.
		self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
		self.len += bytes.len();
	}
}

/// The pre-image the initiator's work is computed over.
pub fn conn_pre_image(
	challenge: &[u8; 16],
	initiator: &Endpoint,
	responder: &Endpoint,
	issued_at: u64,
) -> [u8; 32] {
	use codec::{Encode, Output};
	let mut b = StackBuf::new();
	b.write(CONN_PRE_IMAGE_DOMAIN);
	b.write(challenge);
	initiator.encode_to(&mut b);
	responder.encode_to(&mut b);
	b.write(&issued_at.to_le_bytes());
	sp_crypto_hashing::blake2_256(b.as_slice())
}

/// What the initiator signs in `CONN_INIT(proof)`: domain ++ cookie tag ++ nonce.
pub fn init_transcript(tag: &[u8; 16], nonce: u64) -> Vec<u8> {
	let mut m = Vec::with_capacity(INIT_TRANSCRIPT_DOMAIN.len() + 24);
	m.extend_from_slice(INIT_TRANSCRIPT_DOMAIN);
	m.extend_from_slice(tag);
	m.extend_from_slice(&nonce.to_le_bytes());
	m
}

/// What the responder signs in `CONN_OK`: domain ++ cookie tag ++ initiator identity.
pub fn ok_transcript(tag: &[u8; 16], initiator: &GateId) -> Vec<u8> {
	let mut m = Vec::with_capacity(OK_TRANSCRIPT_DOMAIN.len() + 48);
	m.extend_from_slice(OK_TRANSCRIPT_DOMAIN);
	m.extend_from_slice(tag);
	m.extend_from_slice(&initiator.0);
	m
}

/// Why a `CONN_INIT(proof)` is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofError {
	/// The tag does not authenticate the cookie for this connection (forged or altered cookie,
	/// another challenge, or other endpoints).
	ForgedCookie,
	/// The cookie names a secret the responder no longer (or never) had.
	UnknownSecret {
		/// The cookie's key id.
		key_id: u32,
	},
	/// The cookie is older than the cookie lifetime.
	Expired {
		/// Age in milliseconds.
		age_ms: u64,
	},
	/// The cookie claims to be issued in the future (beyond the clock tolerance).
	FromTheFuture,
	/// The nonce's work does not meet the cookie's effort.
	InsufficientWork,
	/// The identity signature is not valid.
	BadSignature,
	/// The cookie was already answered.
	Replayed,
	/// The replay cache is full of unexpired tags; the proof is refused (see module docs).
	ReplayCacheFull,
}

impl std::fmt::Display for ProofError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			ProofError::ForgedCookie => write!(f, "forged cookie (MAC mismatch)"),
			ProofError::UnknownSecret { key_id } => {
				write!(f, "cookie made under an expired secret (key id {key_id})")
			},
			ProofError::Expired { age_ms } => write!(f, "expired cookie ({age_ms} ms old)"),
			ProofError::FromTheFuture => write!(f, "cookie issued in the future"),
			ProofError::InsufficientWork => write!(f, "wrong nonce: work below the effort"),
			ProofError::BadSignature => write!(f, "invalid identity signature"),
			ProofError::Replayed => write!(f, "replayed cookie"),
			ProofError::ReplayCacheFull => write!(f, "replay cache full, proof refused"),
		}
	}
}

/// First byte of every cookie MAC input (a format version).
pub const COOKIE_MAC_VERSION: u8 = 1;

/// One cookie secret: its id and the keyed BLAKE2b state after the key block.
#[derive(Clone)]
struct Secret {
	id: u32,
	/// `BLAKE2b(key = secret)` having absorbed the key block and [`COOKIE_MAC_VERSION`]: the
	/// key block is compressed once here, so each tag costs one more compression. Cloning a
	/// midstate is the same computation as hashing from scratch.
	midstate: blake2b_simd::State,
}

impl Secret {
	fn new(id: u32, secret: &[u8; 32]) -> Self {
		let mut midstate = blake2b_simd::Params::new()
			.hash_length(16)
			.key(secret)
			.personal(COOKIE_PERSONAL)
			.to_state();
		// A non-empty update compresses the buffered key block.
		midstate.update(&[COOKIE_MAC_VERSION]);
		Secret { id, midstate }
	}

	fn tag(
		&self,
		challenge: &[u8; 16],
		initiator: &Endpoint,
		responder: &Endpoint,
		issued_at: u64,
		effort: u64,
	) -> [u8; 16] {
		use codec::{Encode, Output};
		let mut b = StackBuf::new();
		b.write(&self.id.to_le_bytes());
		b.write(challenge);
		initiator.encode_to(&mut b);
		responder.encode_to(&mut b);
		b.write(&issued_at.to_le_bytes());
		b.write(&effort.to_le_bytes());
		let mut state = self.midstate.clone();
		let hash = state.update(b.as_slice()).finalize();
		let mut tag = [0u8; 16];
		tag.copy_from_slice(hash.as_bytes());
		tag
	}
}

/// The responder's cookie secrets: the current one mints, the current and the previous verify.
#[derive(Clone)]
pub struct CookieKeys {
	current: Secret,
	previous: Option<Secret>,
}

impl std::fmt::Debug for CookieKeys {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.debug_struct("CookieKeys")
			.field("current_id", &self.current.id)
			.field("previous_id", &self.previous.as_ref().map(|s| s.id))
			.finish()
	}
}

impl CookieKeys {
	/// Keys starting from `secret` (key id 0).
	pub fn new(secret: &[u8; 32]) -> Self {
		CookieKeys { current: Secret::new(0, secret), previous: None }
	}

	/// Makes `secret` current; the current one becomes the previous, the previous is forgotten.
	pub fn rotate(&mut self, secret: &[u8; 32]) {
		let next = Secret::new(self.current.id.wrapping_add(1), secret);
		self.previous = Some(std::mem::replace(&mut self.current, next));
	}

	/// Id of the current secret.
	pub fn current_id(&self) -> u32 {
		self.current.id
	}

	/// A cookie for `challenge` on the connection `initiator → responder`.
	pub fn mint(
		&self,
		challenge: &[u8; 16],
		initiator: &Endpoint,
		responder: &Endpoint,
		issued_at: u64,
		effort: u64,
	) -> Cookie {
		let tag = self.current.tag(challenge, initiator, responder, issued_at, effort);
		Cookie { key_id: self.current.id, issued_at, effort, tag }
	}

	/// Checks the cookie's MAC for this challenge and connection, in constant time.
	pub fn verify(
		&self,
		challenge: &[u8; 16],
		initiator: &Endpoint,
		responder: &Endpoint,
		cookie: &Cookie,
	) -> Result<(), ProofError> {
		let secret = if cookie.key_id == self.current.id {
			&self.current
		} else {
			match &self.previous {
				Some(p) if p.id == cookie.key_id => p,
				_ => return Err(ProofError::UnknownSecret { key_id: cookie.key_id }),
			}
		};
		let expected = secret.tag(challenge, initiator, responder, cookie.issued_at, cookie.effort);
		if bool::from(expected.ct_eq(&cookie.tag)) {
			Ok(())
		} else {
			Err(ProofError::ForgedCookie)
		}
	}
}

/// Hash-table hasher for cookie tags: their first eight bytes. Only tags that passed the MAC
/// check are inserted, and those are outputs of a keyed PRF the attacker cannot steer, so no
/// flooding-resistant (slower) hasher is needed.
#[derive(Default)]
pub struct TagHasher(u64);

impl Hasher for TagHasher {
	fn finish(&self) -> u64 {
		self.0
	}
	fn write(&mut self, bytes: &[u8]) {
		for chunk in bytes.chunks(8) {
			let mut word = [0u8; 8];
			word[..chunk.len()].copy_from_slice(chunk);
			self.0 = self.0.rotate_left(5) ^ u64::from_le_bytes(word);
		}
	}
	fn write_usize(&mut self, _: usize) {}
}

type TagSet = HashSet<[u8; 16], BuildHasherDefault<TagHasher>>;

/// Bounded set of answered cookie tags, bucketed by expiry time (see the module docs).
#[derive(Debug)]
pub struct ReplayCache {
	bucket_ms: u64,
	capacity: usize,
	buckets: BTreeMap<u64, TagSet>,
	len: usize,
}

impl ReplayCache {
	/// A cache of at most `capacity` tags, in buckets `bucket_ms` wide.
	pub fn new(capacity: usize, bucket_ms: u64) -> Self {
		ReplayCache { bucket_ms: bucket_ms.max(1), capacity, buckets: BTreeMap::new(), len: 0 }
	}

	/// Tags held.
	pub fn len(&self) -> usize {
		self.len
	}

	/// Whether no tag is held.
	pub fn is_empty(&self) -> bool {
		self.len == 0
	}

	/// The most tags held at once.
	pub fn capacity(&self) -> usize {
		self.capacity
	}

	/// Approximate heap bytes held.
	pub fn approx_bytes(&self) -> usize {
		self.buckets.values().map(|s| s.capacity() * 17 + 64).sum()
	}

	/// Drops every bucket whose cookies have all expired by `now`.
	pub fn purge(&mut self, now: u64) {
		while let Some((&bucket, _)) = self.buckets.first_key_value() {
			if bucket.saturating_add(1).saturating_mul(self.bucket_ms) > now {
				break;
			}
			if let Some(set) = self.buckets.remove(&bucket) {
				self.len -= set.len();
			}
		}
	}

	/// Records `tag` (of a cookie expiring at `expires_at`), or refuses it as a replay or
	/// because the cache is full.
	pub fn insert(&mut self, tag: [u8; 16], expires_at: u64, now: u64) -> Result<(), ProofError> {
		self.purge(now);
		let bucket = expires_at / self.bucket_ms;
		if self.buckets.get(&bucket).is_some_and(|s| s.contains(&tag)) {
			return Err(ProofError::Replayed);
		}
		if self.len >= self.capacity {
			return Err(ProofError::ReplayCacheFull);
		}
		self.buckets.entry(bucket).or_default().insert(tag);
		self.len += 1;
		Ok(())
	}
}
