//! A binary Merkle tree over blake2-256, with proofs of single leaves.
//!
//! - A leaf is `blake2_256(0x00 ++ data)` and an inner node `blake2_256(0x01 ++ left ++ right)`:
//!   the prefixes keep a leaf from ever passing for an inner node (or the reverse).
//! - Leaves are paired left to right, level by level. When a level has an odd number of nodes,
//!   its last node has no sibling and is **promoted unchanged** to the next level (it is not
//!   duplicated, so two different leaf lists never share a root).
//! - The root of a single leaf is that leaf's hash.
//!
//! Because of the promotion, a proof's length depends on the leaf's index and the number of
//! leaves: [`verify`] takes both and refuses a proof of any other length.

use crate::Hash;
use codec::{Decode, Encode};
use sp_crypto_hashing::blake2_256;
use std::fmt;

/// The prefix of a leaf's hash.
pub const LEAF_PREFIX: u8 = 0x00;
/// The prefix of an inner node's hash.
pub const NODE_PREFIX: u8 = 0x01;
/// The most hashes a proof may hold: enough for 2^64 leaves.
pub const MAX_PROOF_LEN: usize = 64;

/// The hash of a leaf holding `data`: `blake2_256(0x00 ++ data)`.
pub fn leaf_hash(data: &[u8]) -> Hash {
	let mut pre_image = Vec::with_capacity(data.len().saturating_add(1));
	pre_image.push(LEAF_PREFIX);
	pre_image.extend_from_slice(data);
	blake2_256(&pre_image)
}

/// The hash of an inner node: `blake2_256(0x01 ++ left ++ right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
	let mut pre_image = [0u8; 65];
	pre_image[0] = NODE_PREFIX;
	pre_image[1..33].copy_from_slice(left);
	pre_image[33..].copy_from_slice(right);
	blake2_256(&pre_image)
}

/// The sibling hashes from a leaf up to the root, lowest first. Levels where the node was
/// promoted contribute no hash.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode)]
pub struct MerkleProof(pub Vec<Hash>);

/// Why a tree could not be built, a proof not made, or a proof not accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MerkleError {
	/// A tree needs at least one leaf.
	NoLeaves,
	/// The index is not below the number of leaves.
	IndexOutOfRange {
		/// The index asked for.
		index: u64,
		/// The number of leaves.
		leaves: u64,
	},
	/// The proof does not have the number of hashes the leaf's position calls for.
	WrongProofLength {
		/// The number of hashes the position calls for.
		expected: usize,
		/// The number of hashes in the proof.
		found: usize,
	},
	/// The proof leads to another root.
	RootMismatch,
}

impl fmt::Display for MerkleError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::NoLeaves => write!(f, "a Merkle tree needs at least one leaf"),
			Self::IndexOutOfRange { index, leaves } => {
				write!(f, "leaf index {index} is out of range (the tree has {leaves} leaves)")
			},
			Self::WrongProofLength { expected, found } => {
				write!(f, "the proof has {found} hashes, its position calls for {expected}")
			},
			Self::RootMismatch => write!(f, "the proof leads to another root"),
		}
	}
}

impl std::error::Error for MerkleError {}

/// A Merkle tree with every level kept, so that any leaf's proof can be read off it.
///
/// It holds `2n - 1` hashes at most (32 bytes each) for `n` leaves: 64 MiB per million leaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MerkleTree {
	/// `levels[0]` are the leaf hashes, the last level is the root alone.
	levels: Vec<Vec<Hash>>,
}

impl MerkleTree {
	/// Builds the tree over leaves that are already hashed with [`leaf_hash`].
	pub fn from_leaf_hashes(leaves: Vec<Hash>) -> Result<Self, MerkleError> {
		if leaves.is_empty() {
			return Err(MerkleError::NoLeaves);
		}
		let mut levels = vec![leaves];
		while let Some(level) = levels.last().filter(|level| level.len() > 1) {
			let next = level
				.chunks(2)
				.map(|pair| match pair {
					[left, right] => node_hash(left, right),
					// The odd node out is promoted unchanged.
					lone => lone.first().copied().unwrap_or_default(),
				})
				.collect();
			levels.push(next);
		}
		Ok(Self { levels })
	}

	/// The root: the commitment to every leaf in order.
	pub fn root(&self) -> Hash {
		// `from_leaf_hashes` never builds an empty level.
		self.levels.last().and_then(|level| level.first()).copied().unwrap_or_default()
	}

	/// The number of leaves.
	pub fn leaves(&self) -> u64 {
		self.levels.first().map_or(0, |level| level.len() as u64)
	}

	/// The hash of leaf `index`, as stored.
	pub fn leaf(&self, index: u64) -> Result<Hash, MerkleError> {
		self.levels
			.first()
			.and_then(|level| level.get(usize::try_from(index).ok()?))
			.copied()
			.ok_or(MerkleError::IndexOutOfRange { index, leaves: self.leaves() })
	}

	/// The proof of leaf `index`.
	pub fn proof(&self, index: u64) -> Result<MerkleProof, MerkleError> {
		self.leaf(index)?;
		let mut position = index;
		let mut siblings = Vec::new();
		let below_root = self.levels.split_last().map_or(&[][..], |(_, below)| below);
		for level in below_root {
			let sibling = position ^ 1;
			if let Some(hash) = usize::try_from(sibling).ok().and_then(|s| level.get(s)) {
				siblings.push(*hash);
			}
			position /= 2;
		}
		Ok(MerkleProof(siblings))
	}
}

/// The number of hashes in the proof of leaf `index` among `leaves`.
pub fn proof_len(leaves: u64, index: u64) -> Result<usize, MerkleError> {
	if index >= leaves {
		return Err(MerkleError::IndexOutOfRange { index, leaves });
	}
	let (mut width, mut position, mut len) = (leaves, index, 0);
	while width > 1 {
		if position % 2 == 1 || position + 1 < width {
			len += 1;
		}
		width = width.div_ceil(2);
		position /= 2;
	}
	Ok(len)
}

/// Checks that `data` is leaf `index` of the `leaves`-leaf tree whose root is `root`.
pub fn verify(
	root: &Hash,
	leaves: u64,
	index: u64,
	data: &[u8],
	proof: &MerkleProof,
) -> Result<(), MerkleError> {
	let expected = proof_len(leaves, index)?;
	if proof.0.len() != expected {
		return Err(MerkleError::WrongProofLength { expected, found: proof.0.len() });
	}
	let mut hash = leaf_hash(data);
	let mut siblings = proof.0.iter();
	let (mut width, mut position) = (leaves, index);
	while width > 1 {
		if position % 2 == 1 {
			let left = siblings.next().ok_or(MerkleError::RootMismatch)?;
			hash = node_hash(left, &hash);
		} else if position + 1 < width {
			let right = siblings.next().ok_or(MerkleError::RootMismatch)?;
			hash = node_hash(&hash, right);
		}
		width = width.div_ceil(2);
		position /= 2;
	}
	if hash == *root {
		Ok(())
	} else {
		Err(MerkleError::RootMismatch)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn tree_of(n: u64) -> (Vec<Vec<u8>>, MerkleTree) {
		let data: Vec<Vec<u8>> = (0..n).map(|i| i.to_le_bytes().to_vec()).collect();
		let tree = MerkleTree::from_leaf_hashes(data.iter().map(|d| leaf_hash(d)).collect())
			.expect("n >= 1");
		(data, tree)
	}

	#[test]
	fn no_leaves_is_an_error() {
		assert_eq!(MerkleTree::from_leaf_hashes(vec![]), Err(MerkleError::NoLeaves));
	}

	#[test]
	fn single_leaf_root_is_the_leaf_hash() {
		let (data, tree) = tree_of(1);
		assert_eq!(tree.root(), leaf_hash(&data[0]));
		assert_eq!(tree.proof(0), Ok(MerkleProof(vec![])));
		assert_eq!(verify(&tree.root(), 1, 0, &data[0], &MerkleProof(vec![])), Ok(()));
	}

	#[test]
	fn three_leaves_promote_the_last() {
		let (data, tree) = tree_of(3);
		let (a, b, c) = (leaf_hash(&data[0]), leaf_hash(&data[1]), leaf_hash(&data[2]));
		assert_eq!(tree.root(), node_hash(&node_hash(&a, &b), &c));
		assert_eq!(tree.proof(2), Ok(MerkleProof(vec![node_hash(&a, &b)])));
		assert_eq!(tree.proof(0), Ok(MerkleProof(vec![b, c])));
	}

	#[test]
	fn leaves_and_nodes_are_domain_separated() {
		let (a, b) = ([1u8; 32], [2u8; 32]);
		let mut concatenated = a.to_vec();
		concatenated.extend_from_slice(&b);
		assert_ne!(leaf_hash(&concatenated), node_hash(&a, &b));
	}

	#[test]
	fn every_proof_of_every_size_verifies_and_has_the_computed_length() {
		for n in 1..=33u64 {
			let (data, tree) = tree_of(n);
			assert_eq!(tree.leaves(), n);
			for i in 0..n {
				let proof = tree.proof(i).expect("in range");
				assert_eq!(proof.0.len(), proof_len(n, i).expect("in range"), "n={n} i={i}");
				assert_eq!(verify(&tree.root(), n, i, &data[i as usize], &proof), Ok(()));
			}
		}
	}

	#[test]
	fn wrong_data_index_or_root_is_refused() {
		let (data, tree) = tree_of(10);
		let proof = tree.proof(4).expect("in range");
		assert_eq!(verify(&tree.root(), 10, 4, b"other", &proof), Err(MerkleError::RootMismatch));
		assert_eq!(verify(&tree.root(), 10, 5, &data[4], &proof), Err(MerkleError::RootMismatch));
		assert_eq!(verify(&[0u8; 32], 10, 4, &data[4], &proof), Err(MerkleError::RootMismatch));
	}

	#[test]
	fn proof_of_the_wrong_length_is_refused() {
		let (data, tree) = tree_of(10);
		let mut proof = tree.proof(4).expect("in range");
		proof.0.push([0u8; 32]);
		assert_eq!(
			verify(&tree.root(), 10, 4, &data[4], &proof),
			Err(MerkleError::WrongProofLength { expected: 4, found: 5 })
		);
		// Leaf 8 of 10 is promoted once: its proof is shorter than leaf 0's.
		assert_eq!(proof_len(10, 8), Ok(2));
		let short = tree.proof(8).expect("in range");
		assert_eq!(
			verify(&tree.root(), 10, 0, &data[0], &short),
			Err(MerkleError::WrongProofLength { expected: 4, found: 2 })
		);
	}

	#[test]
	fn index_out_of_range_is_an_error_not_a_panic() {
		let (data, tree) = tree_of(5);
		let out = MerkleError::IndexOutOfRange { index: 5, leaves: 5 };
		assert_eq!(tree.proof(5), Err(out.clone()));
		assert_eq!(tree.leaf(5), Err(out.clone()));
		assert_eq!(verify(&tree.root(), 5, 5, &data[0], &MerkleProof(vec![])), Err(out));
		assert!(matches!(proof_len(0, 0), Err(MerkleError::IndexOutOfRange { .. })));
		// 2^64 - 1 leaves: 64 levels, and the last leaf is promoted once.
		assert_eq!(proof_len(u64::MAX, 0), Ok(64));
		assert_eq!(proof_len(u64::MAX, u64::MAX - 1), Ok(63));
	}
}
