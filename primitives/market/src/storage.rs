//! Storage for a time (seed 002's backup coop): "store an encrypted blob for N blocks and
//! answer challenges".
//!
//! - The consumer encrypts its blob (this crate never sees plain data), cuts it into chunks of
//!   `chunk_size` bytes (the last one padded with zeros to full size; the consumer keeps the
//!   blob's length, or its encryption format carries it) and commits to them in the
//!   [`StorageDefinition`]: the Merkle root of the chunks, their size and number, and the term.
//! - The provider accepts the blob only if it rebuilds the same root ([`StoredBlob::accept`]).
//! - During the term a validator draws [`Challenge`]s from a seed (a block hash): a chunk index
//!   and a nonce. The provider answers with the chunk and its proof ([`ChunkAnswer`]); the
//!   validator checks the nonce, the chunk's length and the proof against the root in the
//!   definition ([`check_answer`]). Only the definition is needed to judge, never the blob.

use crate::{
	merkle::{self, MerkleProof, MerkleTree},
	sampling::{self, InvalidFraction},
	verdict::{Reason, Verdict},
	Hash, Limits,
};
use codec::{Decode, Encode};
use sp_crypto_hashing::blake2_256;
use std::{fmt, num::NonZeroU64};

/// The domain of a validator's challenge draws.
pub const CHALLENGE_DOMAIN: &[u8] = b"gpow/market/storage-challenge";
/// The domain of a challenge's nonce.
pub const NONCE_DOMAIN: &[u8] = b"gpow/market/storage-nonce";
/// The domain of a cheating provider's choice of chunks to drop.
const CHEAT_DOMAIN: &[u8] = b"gpow/market/storage-cheat";

/// What a consumer asks for: keep the chunks under `blob_root` for `term_blocks` blocks. Its
/// SCALE encoding is canonical; [`StorageDefinition::definition_hash`] is the definition hash
/// of the instance on chain.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct StorageDefinition {
	/// The Merkle root over the (encrypted) blob's chunks, in order.
	pub blob_root: Hash,
	/// The size of every chunk, in bytes.
	pub chunk_size: u32,
	/// The number of chunks.
	pub chunks: u32,
	/// How long the provider keeps the blob, in blocks from the instance's assignment.
	pub term_blocks: u32,
}

/// Why a blob, a storage definition, a challenge or an evaluation's parameters are refused.
#[derive(Clone, Debug, PartialEq)]
pub enum StorageError {
	/// A blob of no bytes.
	EmptyBlob,
	/// A chunk size of 0.
	ZeroChunkSize,
	/// A chunk size over the limit.
	ChunkSizeTooLarge {
		/// The chunk size.
		size: u32,
		/// The limit ([`Limits::max_chunk_size`]).
		max: u32,
	},
	/// A definition of no chunks.
	NoChunks,
	/// More chunks than the limit.
	TooManyChunks {
		/// The number of chunks.
		chunks: u64,
		/// The limit ([`Limits::max_chunks`]).
		max: u32,
	},
	/// A term of 0 blocks.
	ZeroTerm,
	/// A challenge for a chunk past the blob.
	ChunkIndexOutOfRange {
		/// The chunk challenged.
		index: u32,
		/// The number of chunks.
		chunks: u32,
	},
	/// The provider no longer has the chunk.
	ChunkMissing {
		/// The chunk challenged.
		index: u32,
	},
	/// The blob does not have the definition's root, chunk size or number of chunks.
	DefinitionMismatch,
	/// A dropping fraction outside `[0, 1]`.
	InvalidFraction(f64),
	/// An evaluation with no challenges would judge nothing.
	NoSamples,
}

impl fmt::Display for StorageError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::EmptyBlob => write!(f, "the blob is empty"),
			Self::ZeroChunkSize => write!(f, "the chunk size is 0"),
			Self::ChunkSizeTooLarge { size, max } => {
				write!(f, "the chunk size {size} is over the limit of {max} bytes")
			},
			Self::NoChunks => write!(f, "the definition has no chunks"),
			Self::TooManyChunks { chunks, max } => {
				write!(f, "{chunks} chunks are more than the limit of {max}")
			},
			Self::ZeroTerm => write!(f, "the term is 0 blocks"),
			Self::ChunkIndexOutOfRange { index, chunks } => {
				write!(f, "chunk {index} is past the blob's {chunks} chunks")
			},
			Self::ChunkMissing { index } => write!(f, "chunk {index} is not stored"),
			Self::DefinitionMismatch => {
				write!(f, "the blob does not match the definition's root, chunk size or chunks")
			},
			Self::InvalidFraction(fraction) => {
				write!(f, "fraction {fraction} is not within [0, 1]")
			},
			Self::NoSamples => write!(f, "an evaluation needs at least one challenge"),
		}
	}
}

impl std::error::Error for StorageError {}

impl From<InvalidFraction> for StorageError {
	fn from(InvalidFraction(fraction): InvalidFraction) -> Self {
		Self::InvalidFraction(fraction)
	}
}

impl StorageDefinition {
	/// The hash that goes on chain: `blake2_256(SCALE(definition))`.
	pub fn definition_hash(&self) -> Hash {
		blake2_256(&self.encode())
	}

	/// The number of chunks, if the definition is well formed (chunks, chunk size and term
	/// all non-zero).
	pub fn chunk_count(&self) -> Result<NonZeroU64, StorageError> {
		if self.chunk_size == 0 {
			return Err(StorageError::ZeroChunkSize);
		}
		if self.term_blocks == 0 {
			return Err(StorageError::ZeroTerm);
		}
		NonZeroU64::new(u64::from(self.chunks)).ok_or(StorageError::NoChunks)
	}

	/// The number of chunks, if the definition is well formed and within `limits`: what a
	/// provider checks before accepting the blob.
	pub fn check(&self, limits: &Limits) -> Result<NonZeroU64, StorageError> {
		let chunks = self.chunk_count()?;
		check_shape(self.chunk_size, chunks.get(), limits)?;
		Ok(chunks)
	}
}

/// Checks a chunk size and a number of chunks against `limits`.
fn check_shape(chunk_size: u32, chunks: u64, limits: &Limits) -> Result<(), StorageError> {
	if chunk_size > limits.max_chunk_size {
		return Err(StorageError::ChunkSizeTooLarge {
			size: chunk_size,
			max: limits.max_chunk_size,
		});
	}
	if chunks > u64::from(limits.max_chunks) {
		return Err(StorageError::TooManyChunks { chunks, max: limits.max_chunks });
	}
	Ok(())
}

/// Cuts `blob` into chunks of `chunk_size` bytes, padding the last with zeros.
pub fn chunk_blob(
	blob: &[u8],
	chunk_size: u32,
	limits: &Limits,
) -> Result<Vec<Vec<u8>>, StorageError> {
	if blob.is_empty() {
		return Err(StorageError::EmptyBlob);
	}
	let size = usize::try_from(chunk_size).map_err(|_| StorageError::ChunkSizeTooLarge {
		size: chunk_size,
		max: limits.max_chunk_size,
	})?;
	if size == 0 {
		return Err(StorageError::ZeroChunkSize);
	}
	check_shape(chunk_size, blob.len().div_ceil(size) as u64, limits)?;
	Ok(blob
		.chunks(size)
		.map(|chunk| {
			let mut padded = chunk.to_vec();
			padded.resize(size, 0);
			padded
		})
		.collect())
}

/// A validator's challenge: send chunk `chunk_index`, and echo `nonce`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Challenge {
	/// The chunk asked for.
	pub chunk_index: u32,
	/// Ties the answer to this challenge: an answer to another one (relayed, cached) is
	/// refused.
	pub nonce: Hash,
}

/// `k` challenges for `definition`, drawn with replacement from `seed` (a block hash, say):
/// chunk indices in [`CHALLENGE_DOMAIN`], and the `j`-th nonce
/// `blake2_256("gpow/market/storage-nonce" ++ seed ++ j as u64 LE)`.
pub fn challenges(
	definition: &StorageDefinition,
	seed: Hash,
	k: u32,
) -> Result<Vec<Challenge>, StorageError> {
	let chunks = definition.chunk_count()?;
	if k == 0 {
		return Err(StorageError::NoSamples);
	}
	let indices = sampling::sample_indices(CHALLENGE_DOMAIN, seed, chunks, k);
	Ok(indices
		.into_iter()
		.zip(0u64..)
		.map(|(index, j)| {
			let mut pre_image = NONCE_DOMAIN.to_vec();
			pre_image.extend_from_slice(&seed);
			pre_image.extend_from_slice(&j.to_le_bytes());
			// index < chunks <= u32::MAX.
			let chunk_index = u32::try_from(index).unwrap_or(u32::MAX);
			Challenge { chunk_index, nonce: blake2_256(&pre_image) }
		})
		.collect())
}

/// A provider's answer to a [`Challenge`].
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ChunkAnswer {
	/// The challenge's nonce.
	pub nonce: Hash,
	/// The chunk's bytes.
	pub chunk: Vec<u8>,
	/// The chunk's Merkle proof against the definition's root.
	pub proof: MerkleProof,
}

/// What a provider (or the consumer, to make the definition) holds of a blob: its chunks and
/// their tree.
#[derive(Clone, Debug)]
pub struct StoredBlob {
	chunk_size: u32,
	/// `None` where a cheating provider dropped the chunk.
	chunks: Vec<Option<Vec<u8>>>,
	tree: MerkleTree,
}

impl StoredBlob {
	/// Chunks `blob` and builds its tree.
	pub fn new(blob: &[u8], chunk_size: u32, limits: &Limits) -> Result<Self, StorageError> {
		let chunks = chunk_blob(blob, chunk_size, limits)?;
		let leaves = chunks.iter().map(|chunk| merkle::leaf_hash(chunk)).collect();
		let tree = MerkleTree::from_leaf_hashes(leaves).map_err(|_| StorageError::EmptyBlob)?;
		Ok(Self { chunk_size, chunks: chunks.into_iter().map(Some).collect(), tree })
	}

	/// The definition of storing this blob for `term_blocks` blocks.
	pub fn definition(&self, term_blocks: u32) -> Result<StorageDefinition, StorageError> {
		if term_blocks == 0 {
			return Err(StorageError::ZeroTerm);
		}
		let chunks = self.tree.leaves();
		let chunks = u32::try_from(chunks)
			.map_err(|_| StorageError::TooManyChunks { chunks, max: u32::MAX })?;
		Ok(StorageDefinition {
			blob_root: self.tree.root(),
			chunk_size: self.chunk_size,
			chunks,
			term_blocks,
		})
	}

	/// The provider's intake: stores `blob` if it is the one `definition` commits to.
	pub fn accept(
		definition: &StorageDefinition,
		blob: &[u8],
		limits: &Limits,
	) -> Result<Self, StorageError> {
		definition.check(limits)?;
		let stored = Self::new(blob, definition.chunk_size, limits)?;
		if stored.definition(definition.term_blocks)? != *definition {
			return Err(StorageError::DefinitionMismatch);
		}
		Ok(stored)
	}

	/// The answer to `challenge`: the chunk, the nonce and the chunk's proof.
	pub fn answer(&self, challenge: &Challenge) -> Result<ChunkAnswer, StorageError> {
		let index = challenge.chunk_index;
		let chunks = u32::try_from(self.chunks.len()).unwrap_or(u32::MAX);
		let slot = usize::try_from(index)
			.ok()
			.and_then(|i| self.chunks.get(i))
			.ok_or(StorageError::ChunkIndexOutOfRange { index, chunks })?;
		let chunk = slot.clone().ok_or(StorageError::ChunkMissing { index })?;
		let proof = self
			.tree
			.proof(u64::from(index))
			.map_err(|_| StorageError::ChunkIndexOutOfRange { index, chunks })?;
		Ok(ChunkAnswer { nonce: challenge.nonce, chunk, proof })
	}

	/// Makes this a cheating provider's copy: drops exactly `round(fraction × chunks)` chunks,
	/// chosen from `seed`, keeping the tree (so it can still send proofs). Returns the number
	/// dropped. Used by tests and the end-to-end test.
	pub fn drop_fraction(&mut self, fraction: f64, seed: Hash) -> Result<u64, StorageError> {
		let chunks = self.chunks.len() as u64;
		let dropped = sampling::fraction_count(fraction, chunks)?;
		let mask = sampling::choose_distinct(CHEAT_DOMAIN, seed, chunks, dropped);
		for (slot, drop) in self.chunks.iter_mut().zip(mask) {
			if drop {
				*slot = None;
			}
		}
		Ok(dropped)
	}
}

/// The validator's check of one answer: the nonce is the challenge's, the chunk has the
/// definition's chunk size, and its proof leads to the definition's root.
pub fn check_answer(
	definition: &StorageDefinition,
	challenge: &Challenge,
	answer: &ChunkAnswer,
) -> Result<(), Reason> {
	let index = u64::from(challenge.chunk_index);
	if answer.nonce != challenge.nonce {
		return Err(Reason::WrongNonce { index });
	}
	let len = answer.chunk.len() as u64;
	let expected = u64::from(definition.chunk_size);
	if len != expected {
		return Err(Reason::WrongChunkLength { index, len, expected });
	}
	merkle::verify(
		&definition.blob_root,
		u64::from(definition.chunks),
		index,
		&answer.chunk,
		&answer.proof,
	)
	.map_err(|why| Reason::BadProof { index, why })
}

/// The validator's evaluation function for storage: draws `k` [`challenges`] from `seed`, asks
/// the provider with `fetch` and checks each answer with [`check_answer`]. A fetch error is
/// [`Reason::Unanswered`] with the error's text. The verdict's samples are the chunk indices.
///
/// Errors (no verdict): a malformed definition, or `k == 0`.
pub fn evaluate<E: fmt::Display>(
	definition: &StorageDefinition,
	k: u32,
	seed: Hash,
	mut fetch: impl FnMut(&Challenge) -> Result<ChunkAnswer, E>,
) -> Result<Verdict, StorageError> {
	let mut verdict = Verdict::new();
	for challenge in challenges(definition, seed, k)? {
		let index = u64::from(challenge.chunk_index);
		verdict.samples.push(index);
		match fetch(&challenge) {
			Ok(answer) => {
				verdict.answer_bytes =
					verdict.answer_bytes.saturating_add(answer.encoded_size() as u64);
				if let Err(reason) = check_answer(definition, &challenge, &answer) {
					verdict.fail(reason);
				}
			},
			Err(why) => verdict.fail(Reason::Unanswered { index, why: why.to_string() }),
		}
	}
	Ok(verdict)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::merkle::MerkleError;

	fn blob(len: usize) -> Vec<u8> {
		(0..len).map(|i| (i * 7 + 3) as u8).collect()
	}

	fn stored(len: usize, chunk_size: u32) -> (StorageDefinition, StoredBlob) {
		let stored = StoredBlob::new(&blob(len), chunk_size, &Limits::default()).expect("valid");
		(stored.definition(100).expect("non-zero term"), stored)
	}

	#[test]
	fn chunking_pads_the_last_chunk() {
		let chunks = chunk_blob(&blob(10), 4, &Limits::default()).expect("valid");
		assert_eq!(chunks.len(), 3);
		assert!(chunks.iter().all(|c| c.len() == 4));
		assert_eq!(chunks[2], vec![blob(10)[8], blob(10)[9], 0, 0]);
		assert_eq!(chunk_blob(&blob(8), 4, &Limits::default()).expect("valid").len(), 2);
	}

	#[test]
	fn bad_shapes_are_named_errors() {
		let limits = Limits { max_chunks: 4, max_chunk_size: 64, ..Limits::default() };
		assert_eq!(chunk_blob(&[], 4, &limits), Err(StorageError::EmptyBlob));
		assert_eq!(chunk_blob(&blob(8), 0, &limits), Err(StorageError::ZeroChunkSize));
		assert_eq!(
			chunk_blob(&blob(8), 65, &limits),
			Err(StorageError::ChunkSizeTooLarge { size: 65, max: 64 })
		);
		assert_eq!(
			chunk_blob(&blob(17), 4, &limits),
			Err(StorageError::TooManyChunks { chunks: 5, max: 4 })
		);
		let (definition, stored) = stored(16, 4);
		assert_eq!(stored.definition(0), Err(StorageError::ZeroTerm));
		for (broken, error) in [
			(StorageDefinition { chunks: 0, ..definition.clone() }, StorageError::NoChunks),
			(
				StorageDefinition { chunk_size: 0, ..definition.clone() },
				StorageError::ZeroChunkSize,
			),
			(StorageDefinition { term_blocks: 0, ..definition.clone() }, StorageError::ZeroTerm),
		] {
			assert_eq!(broken.check(&limits), Err(error.clone()));
			assert_eq!(challenges(&broken, [0; 32], 3), Err(error.clone()));
			assert_eq!(evaluate(&broken, 3, [0; 32], |c| stored.answer(c)).err(), Some(error));
		}
		assert_eq!(challenges(&definition, [0; 32], 0), Err(StorageError::NoSamples));
	}

	#[test]
	fn definition_hash_is_blake2_of_the_canonical_encoding() {
		let (definition, _) = stored(100, 16);
		assert_eq!(definition.encode().len(), 32 + 4 + 4 + 4);
		assert_eq!(definition.definition_hash(), blake2_256(&definition.encode()));
		assert_eq!(definition.chunks, 7);
		assert_eq!(definition.chunk_size, 16);
	}

	#[test]
	fn the_provider_accepts_only_the_committed_blob() {
		let (definition, _) = stored(100, 16);
		let limits = Limits::default();
		assert!(StoredBlob::accept(&definition, &blob(100), &limits).is_ok());
		let mut other = blob(100);
		other[50] ^= 1;
		assert_eq!(
			StoredBlob::accept(&definition, &other, &limits).err(),
			Some(StorageError::DefinitionMismatch)
		);
		assert_eq!(
			StoredBlob::accept(&definition, &blob(120), &limits).err(),
			Some(StorageError::DefinitionMismatch)
		);
	}

	#[test]
	fn challenges_are_reproducible_and_in_range() {
		let (definition, _) = stored(1000, 10);
		let a = challenges(&definition, [1; 32], 30).expect("valid");
		assert_eq!(a, challenges(&definition, [1; 32], 30).expect("valid"));
		assert_ne!(a, challenges(&definition, [2; 32], 30).expect("valid"));
		assert!(a.iter().all(|c| c.chunk_index < 100));
		let nonces: std::collections::HashSet<_> = a.iter().map(|c| c.nonce).collect();
		assert_eq!(nonces.len(), 30);
	}

	#[test]
	fn an_honest_provider_passes() {
		let (definition, stored) = stored(1000, 10);
		let verdict = evaluate(&definition, 40, [1; 32], |c| stored.answer(c)).expect("valid");
		assert!(verdict.pass, "{verdict}");
		assert_eq!(verdict.samples.len(), 40);
		assert!(verdict.answer_bytes >= 40 * (32 + 10));
	}

	#[test]
	fn an_out_of_range_challenge_is_an_error_for_the_provider() {
		let (_, stored) = stored(100, 10);
		let challenge = Challenge { chunk_index: 10, nonce: [0; 32] };
		assert_eq!(
			stored.answer(&challenge),
			Err(StorageError::ChunkIndexOutOfRange { index: 10, chunks: 10 })
		);
	}

	#[test]
	fn a_provider_that_dropped_chunks_is_caught() {
		let (definition, mut stored) = stored(1000, 10);
		assert_eq!(stored.drop_fraction(1.0, [3; 32]), Ok(100));
		let verdict = evaluate(&definition, 5, [1; 32], |c| stored.answer(c)).expect("valid");
		assert!(!verdict.pass);
		assert_eq!(verdict.failures.len(), 5);
		assert!(verdict.failures[0].to_string().contains("is not stored"));
		assert_eq!(stored.drop_fraction(-1.0, [3; 32]), Err(StorageError::InvalidFraction(-1.0)));
	}

	#[test]
	fn garbage_wrong_nonce_and_wrong_length_answers_are_named() {
		let (definition, stored) = stored(1000, 10);
		let challenge = challenges(&definition, [1; 32], 1).expect("valid")[0];
		let good = stored.answer(&challenge).expect("stored");
		assert_eq!(check_answer(&definition, &challenge, &good), Ok(()));
		let index = u64::from(challenge.chunk_index);

		let garbage = ChunkAnswer { chunk: vec![0; 10], ..good.clone() };
		assert_eq!(
			check_answer(&definition, &challenge, &garbage),
			Err(Reason::BadProof { index, why: MerkleError::RootMismatch })
		);
		let stale = ChunkAnswer { nonce: [0; 32], ..good.clone() };
		assert_eq!(
			check_answer(&definition, &challenge, &stale),
			Err(Reason::WrongNonce { index })
		);
		let short = ChunkAnswer { chunk: vec![0; 9], ..good.clone() };
		assert_eq!(
			check_answer(&definition, &challenge, &short),
			Err(Reason::WrongChunkLength { index, len: 9, expected: 10 })
		);
		let mut long_proof = good.clone();
		long_proof.proof.0.push([0; 32]);
		assert!(matches!(
			check_answer(&definition, &challenge, &long_proof),
			Err(Reason::BadProof { why: MerkleError::WrongProofLength { .. }, .. })
		));
	}
}
