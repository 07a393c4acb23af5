//! How the programs ship definitions, results and answers to each other: a small frame around
//! the SCALE encoding, independent of the envelope that carries it (the SSK channel seals the
//! frame's bytes as its payload).
//!
//! ```text
//! frame = "GPWM" ++ version (1 byte, 1) ++ kind (1 byte, see Kind) ++ SCALE(message)
//! ```
//!
//! The frame's body is the message's canonical SCALE encoding, the very bytes whose blake2-256
//! is the hash on chain, so [`matches_hash`] checks a received definition or result against
//! the chain without decoding it. [`decode`] refuses, by name, a frame that is too long, cut
//! short, of another kind or version, malformed or followed by extra bytes; it never panics.
//! The messages hold only fixed-size integers, arrays and vectors, whose SCALE decoding is
//! strict (a length must be in its shortest compact form), so a body that decodes is the
//! canonical encoding: re-encoding it gives the same bytes and the same hash.

use crate::{
	range::{LeafAnswer, RangeDefinition, RangeResult},
	storage::{Challenge, ChunkAnswer, StorageDefinition},
	Hash,
};
use codec::{Decode, DecodeAll, Encode};
use sp_crypto_hashing::blake2_256;
use std::fmt;

/// The first bytes of every frame.
pub const MAGIC: [u8; 4] = *b"GPWM";
/// The frame format's version.
pub const VERSION: u8 = 1;
/// The length of a frame's header: magic, version and kind.
pub const HEADER_LEN: usize = MAGIC.len() + 2;

/// What a frame carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
	/// A [`RangeDefinition`] (consumer to provider).
	RangeDefinition = 1,
	/// A [`RangeResult`] (provider to consumer and validators).
	RangeResult = 2,
	/// A [`LeafAnswer`] (provider to validator).
	LeafAnswer = 3,
	/// A [`StorageDefinition`] (consumer to provider; the blob follows in its own transfer).
	StorageDefinition = 4,
	/// A [`Challenge`] (validator to provider).
	Challenge = 5,
	/// A [`ChunkAnswer`] (provider to validator).
	ChunkAnswer = 6,
}

/// A message that travels in a frame.
pub trait Message: Encode + Decode {
	/// The frame kind that carries it.
	const KIND: Kind;
	/// The longest body accepted by default, in bytes.
	const MAX_LEN: usize;
}

impl Message for RangeDefinition {
	const KIND: Kind = Kind::RangeDefinition;
	const MAX_LEN: usize = 1024;
}

impl Message for RangeResult {
	const KIND: Kind = Kind::RangeResult;
	/// About a million hits.
	const MAX_LEN: usize = 8 << 20;
}

impl Message for LeafAnswer {
	const KIND: Kind = Kind::LeafAnswer;
	const MAX_LEN: usize = 4096;
}

impl Message for StorageDefinition {
	const KIND: Kind = Kind::StorageDefinition;
	const MAX_LEN: usize = 1024;
}

impl Message for Challenge {
	const KIND: Kind = Kind::Challenge;
	const MAX_LEN: usize = 1024;
}

impl Message for ChunkAnswer {
	const KIND: Kind = Kind::ChunkAnswer;
	/// A chunk of the default maximum size (1 MiB) and its proof.
	const MAX_LEN: usize = (1 << 20) + 4096;
}

/// Why a frame is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WireError {
	/// The body is longer than the limit.
	Oversized {
		/// The body's length.
		len: usize,
		/// The limit.
		max: usize,
	},
	/// Fewer bytes than a header.
	Truncated,
	/// The frame does not start with [`MAGIC`].
	BadMagic,
	/// A frame version this crate does not read.
	UnsupportedVersion(u8),
	/// A frame of another kind (the byte found).
	WrongKind {
		/// The kind expected.
		expected: Kind,
		/// The kind byte found.
		found: u8,
	},
	/// The body is not a valid SCALE encoding of the message, or has bytes left after it.
	Malformed(String),
}

impl fmt::Display for WireError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::Oversized { len, max } => {
				write!(f, "the message has {len} bytes, more than the limit of {max}")
			},
			Self::Truncated => write!(f, "the frame is shorter than its header"),
			Self::BadMagic => write!(f, "the frame does not start with \"GPWM\""),
			Self::UnsupportedVersion(version) => write!(f, "unsupported frame version {version}"),
			Self::WrongKind { expected, found } => {
				write!(f, "expected a {expected:?} frame, found kind {found}")
			},
			Self::Malformed(why) => write!(f, "malformed message: {why}"),
		}
	}
}

impl std::error::Error for WireError {}

/// Frames `message`, if its encoding is within its kind's limit.
pub fn encode<M: Message>(message: &M) -> Result<Vec<u8>, WireError> {
	let len = message.encoded_size();
	if len > M::MAX_LEN {
		return Err(WireError::Oversized { len, max: M::MAX_LEN });
	}
	let mut frame = Vec::with_capacity(HEADER_LEN.saturating_add(len));
	frame.extend_from_slice(&MAGIC);
	frame.push(VERSION);
	frame.push(M::KIND as u8);
	message.encode_to(&mut frame);
	Ok(frame)
}

/// Reads a `M` frame with its kind's default limit.
pub fn decode<M: Message>(frame: &[u8]) -> Result<M, WireError> {
	decode_with_limit(frame, M::MAX_LEN)
}

/// Reads a `M` frame whose body is at most `max_len` bytes (a program's own, tighter or
/// looser, limit: a storage provider with larger chunks, say).
pub fn decode_with_limit<M: Message>(frame: &[u8], max_len: usize) -> Result<M, WireError> {
	let body = body(frame, M::KIND)?;
	if body.len() > max_len {
		return Err(WireError::Oversized { len: body.len(), max: max_len });
	}
	M::decode_all(&mut &body[..]).map_err(|e| WireError::Malformed(e.to_string()))
}

/// Whether `frame` is a well-formed frame of kind `kind` whose body hashes to `on_chain_hash`
/// (a definition hash, or a result's commitment).
pub fn matches_hash(frame: &[u8], kind: Kind, on_chain_hash: &Hash) -> bool {
	body(frame, kind).is_ok_and(|body| blake2_256(body) == *on_chain_hash)
}

/// A frame's body, after checking its header.
fn body(frame: &[u8], kind: Kind) -> Result<&[u8], WireError> {
	if frame.len() < HEADER_LEN {
		return Err(WireError::Truncated);
	}
	let (header, body) = frame.split_at(HEADER_LEN);
	if header[..MAGIC.len()] != MAGIC {
		return Err(WireError::BadMagic);
	}
	let (version, found) = (header[MAGIC.len()], header[MAGIC.len() + 1]);
	if version != VERSION {
		return Err(WireError::UnsupportedVersion(version));
	}
	if found != kind as u8 {
		return Err(WireError::WrongKind { expected: kind, found });
	}
	Ok(body)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{merkle::MerkleProof, Limits};

	fn definition() -> RangeDefinition {
		RangeDefinition { salt: [1; 32], start: 10, end: 1_000, target: [0x10; 32] }
	}

	#[test]
	fn every_message_round_trips() {
		let def = definition();
		assert_eq!(decode::<RangeDefinition>(&encode(&def).expect("small")), Ok(def.clone()));
		let result = crate::range::compute(&def, &Limits::default()).expect("valid");
		let result = result.result().clone();
		assert_eq!(decode::<RangeResult>(&encode(&result).expect("small")), Ok(result));
		let leaf = LeafAnswer { leaf: [2; 32], proof: MerkleProof(vec![[3; 32]; 10]) };
		assert_eq!(decode::<LeafAnswer>(&encode(&leaf).expect("small")), Ok(leaf));
		let storage =
			StorageDefinition { blob_root: [4; 32], chunk_size: 16, chunks: 3, term_blocks: 9 };
		assert_eq!(decode::<StorageDefinition>(&encode(&storage).expect("small")), Ok(storage));
		let challenge = Challenge { chunk_index: 2, nonce: [5; 32] };
		assert_eq!(decode::<Challenge>(&encode(&challenge).expect("small")), Ok(challenge));
		let chunk = ChunkAnswer { nonce: [6; 32], chunk: vec![7; 16], proof: MerkleProof(vec![]) };
		assert_eq!(decode::<ChunkAnswer>(&encode(&chunk).expect("small")), Ok(chunk));
	}

	#[test]
	fn the_body_is_the_hashed_encoding() {
		let def = definition();
		let frame = encode(&def).expect("small");
		assert_eq!(&frame[..HEADER_LEN], b"GPWM\x01\x01");
		assert_eq!(frame[HEADER_LEN..], def.encode()[..]);
		assert!(matches_hash(&frame, Kind::RangeDefinition, &def.definition_hash()));
		assert!(!matches_hash(&frame, Kind::RangeDefinition, &[0; 32]));
		assert!(!matches_hash(&frame, Kind::StorageDefinition, &def.definition_hash()));
		let mut tampered = frame.clone();
		tampered[HEADER_LEN + 40] ^= 1;
		assert!(!matches_hash(&tampered, Kind::RangeDefinition, &def.definition_hash()));
		assert!(!matches_hash(&frame[..3], Kind::RangeDefinition, &def.definition_hash()));

		let result = RangeResult { hits: vec![11, 12], commitment: [8; 32] };
		let frame = encode(&result).expect("small");
		assert!(matches_hash(&frame, Kind::RangeResult, &result.result_hash()));
	}

	#[test]
	fn bad_headers_are_named() {
		let frame = encode(&definition()).expect("small");
		assert_eq!(decode::<RangeDefinition>(&frame[..5]), Err(WireError::Truncated));
		assert_eq!(decode::<RangeDefinition>(&[]), Err(WireError::Truncated));
		let mut bad = frame.clone();
		bad[0] = b'X';
		assert_eq!(decode::<RangeDefinition>(&bad), Err(WireError::BadMagic));
		let mut bad = frame.clone();
		bad[4] = 2;
		assert_eq!(decode::<RangeDefinition>(&bad), Err(WireError::UnsupportedVersion(2)));
		assert_eq!(
			decode::<StorageDefinition>(&frame),
			Err(WireError::WrongKind { expected: Kind::StorageDefinition, found: 1 })
		);
	}

	#[test]
	fn malformed_and_trailing_bodies_are_named() {
		let frame = encode(&definition()).expect("small");
		assert!(matches!(
			decode::<RangeDefinition>(&frame[..frame.len() - 1]),
			Err(WireError::Malformed(_))
		));
		let mut long = frame.clone();
		long.push(0);
		assert!(matches!(decode::<RangeDefinition>(&long), Err(WireError::Malformed(_))));
		// A result claiming 2^30 hits in a few bytes: refused, not allocated.
		let mut lying = encode(&RangeResult::default()).expect("small");
		lying.truncate(HEADER_LEN);
		lying.extend_from_slice(&[0x03, 0x00, 0x00, 0x00, 0x40]);
		assert!(matches!(decode::<RangeResult>(&lying), Err(WireError::Malformed(_))));
	}

	#[test]
	fn non_canonical_lengths_are_refused() {
		// The hit count 1 as a four-byte compact instead of one byte.
		let result = RangeResult { hits: vec![5], commitment: [0; 32] };
		let canonical = encode(&result).expect("small");
		let mut frame = canonical[..HEADER_LEN].to_vec();
		frame.extend_from_slice(&(1u32 << 2 | 0b10).to_le_bytes());
		frame.extend_from_slice(&canonical[HEADER_LEN + 1..]);
		assert!(matches!(decode::<RangeResult>(&frame), Err(WireError::Malformed(_))));
	}

	#[test]
	fn oversized_messages_are_refused_both_ways() {
		let chunk = ChunkAnswer {
			nonce: [0; 32],
			chunk: vec![0; (1 << 20) + 4096],
			proof: MerkleProof(vec![]),
		};
		assert!(matches!(encode(&chunk), Err(WireError::Oversized { .. })));
		let small = ChunkAnswer { chunk: vec![0; 100], ..chunk };
		let frame = encode(&small).expect("small");
		assert_eq!(
			decode_with_limit::<ChunkAnswer>(&frame, 50),
			Err(WireError::Oversized { len: frame.len() - HEADER_LEN, max: 50 })
		);
		assert_eq!(decode_with_limit::<ChunkAnswer>(&frame, 1 << 30), Ok(small));
	}
}
