//! # GPoW work-as-payment primitives
//!
//! A transaction can pay by proof of work instead of a fee (`pallet-work-payment`): its call is
//! wrapped in `WorkPayment.with_work { seal, call }`, where the [`WorkSeal`] names a recent
//! anchor block and a nonce whose work over the transaction's [`pre_image`] meets the effort the
//! chain requires. This crate holds what the runtime, the node's `work_*` JSON-RPC and off-chain
//! clients must agree on.
//!
//! ## Example
//!
//! ```
//! use gpow_primitives_work::pre_image;
//!
//! let genesis = [1u8; 32];
//! let anchor_hash = [2u8; 32];
//! let signer = [3u8; 32];
//! let call = [0u8, 0, 8, b'h', b'i']; // an encoded call
//! let p = pre_image(&genesis, 7u32, &anchor_hash, &signer, 0u32, &call);
//! // Any change to what the seal is bound to changes the pre-image.
//! assert_ne!(p, pre_image(&genesis, 8u32, &anchor_hash, &signer, 0u32, &call));
//! ```

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// A call's identity in the allow-list: its pallet index and call index, the first two bytes of
/// its encoding.
pub type CallId = [u8; 2];

/// The domain separator at the start of every pre-image, so no other GPoW proof of work (a
/// block seal, a gate's keep-alive) can pass for a transaction's.
pub const PRE_IMAGE_DOMAIN: [u8; 12] = *b"gpow/work-tx";

/// The 32 bytes a work-paid transaction's seal commits to:
///
/// ```text
/// blake2_256( "gpow/work-tx" ++ genesis_hash ++ anchor (u32 LE) ++ anchor_hash
///             ++ signer (32 bytes) ++ transaction nonce (u32 LE) ++ SCALE(inner call) )
/// ```
///
/// (the SCALE encoding of the tuple; fixed-size fields carry no length prefix). It binds the
/// chain, a recent block, the signer, the transaction's nonce and the call, so a proof is good
/// for one transaction only. The seal's nonce must then satisfy
/// `effort(blake2_256(pre_image ++ nonce_le)) >= required effort` (`gpow-primitives-pow`).
pub fn pre_image<Hash: Encode, BlockNumber: Encode, AccountId: Encode, Nonce: Encode>(
	genesis_hash: &Hash,
	anchor: BlockNumber,
	anchor_hash: &Hash,
	signer: &AccountId,
	tx_nonce: Nonce,
	encoded_call: &[u8],
) -> [u8; 32] {
	let mut data: Vec<u8> =
		(PRE_IMAGE_DOMAIN, genesis_hash, anchor, anchor_hash, signer, tx_nonce).encode();
	data.extend_from_slice(encoded_call);
	sp_crypto_hashing::blake2_256(&data)
}

/// The proof of work a work-paid transaction carries in `WorkPayment.with_work`.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct WorkSeal<BlockNumber> {
	/// A recent block whose hash the work commits to: at most the runtime's anchor window of
	/// blocks below the block the transaction is included in.
	pub anchor: BlockNumber,
	/// The nonce whose work over the transaction's pre-image meets the required effort.
	pub nonce: u64,
}

/// Why the transaction pool refuses a work-paid transaction: `InvalidTransaction::Custom(code)`
/// with the codes below (from [`WorkRefusal::FIRST_CODE`], clear of the other pallets' codes).
///
/// Each name is also what the node's `work_*` JSON-RPC reports.
///
/// A block whose share for work-paid transactions is used up refuses more of them with
/// `InvalidTransaction::ExhaustsResources`: the block builder skips them and the pool keeps them
/// for a later block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
#[repr(u8)]
pub enum WorkRefusal {
	/// 64: the transaction is longer than the runtime's `MaxWorkTxLength`.
	TooLong = 64,
	/// 65: the inner call is not on the allow-list.
	CallNotAllowed = 65,
	/// 66: a work-paid transaction offers a tip (work replaces the fee; a tip would be lost).
	TipWithWork = 66,
	/// 67: the anchor is not below the block the transaction goes into.
	AnchorInFuture = 67,
	/// 68: the anchor is more than the runtime's `AnchorWindow` blocks old (or its hash is gone).
	AnchorStale = 68,
	/// 69: the seal's work is below the required effort.
	InsufficientWork = 69,
	/// 70: this proof (pre-image) was already used.
	ProofUsed = 70,
	/// 71: a work-paid call that is not signed.
	NotSigned = 71,
}

impl WorkRefusal {
	/// The lowest refusal code.
	pub const FIRST_CODE: u8 = 64;

	/// The refusal's code in `InvalidTransaction::Custom`.
	pub fn code(self) -> u8 {
		self as u8
	}

	/// The refusal with `code`, if it is one.
	pub fn from_code(code: u8) -> Option<Self> {
		use WorkRefusal::*;
		[
			TooLong,
			CallNotAllowed,
			TipWithWork,
			AnchorInFuture,
			AnchorStale,
			InsufficientWork,
			ProofUsed,
			NotSigned,
		]
		.into_iter()
		.find(|r| r.code() == code)
	}
}

impl WorkRefusal {
	/// The refusal's name, as the node reports it.
	pub fn name(self) -> &'static str {
		match self {
			WorkRefusal::TooLong => "TooLong",
			WorkRefusal::CallNotAllowed => "CallNotAllowed",
			WorkRefusal::TipWithWork => "TipWithWork",
			WorkRefusal::AnchorInFuture => "AnchorInFuture",
			WorkRefusal::AnchorStale => "AnchorStale",
			WorkRefusal::InsufficientWork => "InsufficientWork",
			WorkRefusal::ProofUsed => "ProofUsed",
			WorkRefusal::NotSigned => "NotSigned",
		}
	}
}

/// What a client needs to pay a call by work: returned by the runtime API and the node's
/// `work_request`.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct WorkQuote<BlockNumber, Hash> {
	/// The anchor block the seal must name.
	pub anchor: BlockNumber,
	/// Its hash (part of the pre-image).
	pub anchor_hash: Hash,
	/// The last block the anchor is accepted in: `anchor + AnchorWindow`.
	pub expires: BlockNumber,
	/// The 32 bytes the work commits to: `blake2_256(nonce_le)` over these must meet
	/// `required_effort` (see `gpow-primitives-pow`).
	pub pre_image: [u8; 32],
	/// The effort (expected hashes) the seal must prove, at the current multiplier.
	pub required_effort: u128,
}
