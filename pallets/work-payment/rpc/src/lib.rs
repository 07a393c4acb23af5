//! JSON-RPC methods that let a client pay a transaction by proof of work through the node: seed
//! 002's work-for-results API (ask, get a token and an assignment, work, poll with partial
//! proofs, get the result once the work is enough), for the chain's own work-paid transactions
//! (`pallet-work-payment`).
//!
//! - `work_request(call, signer, nonce?)`: `call` is the SCALE-encoded call to pay by work
//!   (`0x`-hex), `signer` its SS58 signer, `nonce` its transaction nonce (default: the
//!   account's next nonce at the best block). Returns a [`WorkAssignment`]: a token, the
//!   pre-image, the required effort, a share effort (1/64 of it), the nonce range to search and
//!   the last block the transaction can go into. The node keeps nothing: the token carries the
//!   assignment, sealed with the node's secret (like the PoW gate's cookies).
//! - `work_submit(token, nonces)`: up to [`MAX_NONCES`] nonces (decimal strings or numbers);
//!   each in range whose work meets the share effort is credited once. Returns the
//!   [`WorkProgress`]; once a nonce meets the required effort, `done` is true and `seal` is the
//!   seal to send the transaction with: `WorkPayment.with_work({ anchor, nonce }, call)`,
//!   signed by `signer` with the same transaction nonce and tip 0.
//! - `work_status(token)`: the progress without submitting.
//!
//! Work is `blake2_256(preImage ++ nonce as 8 bytes little-endian)` read as a big-endian
//! number `w`; its effort is `floor((2^256 - 1) / w)` (`gpow-primitives-pow`).
//!
//! Errors (`{ code, message: name, data: details }`): 9300 `BadCall` (the call does not decode),
//! 9301 `NotPayable` (the runtime refuses to quote it; `data` is the refusal, e.g.
//! `CallNotAllowed`), 9302 `ForgedToken` (not a token of this node run), 9303 `Expired` (the
//! anchor is too old for the next block), 9304 `TooManyNonces`, 9305 `BadNonce`, 9306
//! `TooManyShares`, 9307 `Runtime` (the runtime API failed).

use std::{marker::PhantomData, sync::Arc};

use codec::{Codec, Decode, Encode};
use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::ErrorObjectOwned};
use parking_lot::Mutex;
use serde::{Deserialize, Deserializer, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::Bytes;
use sp_runtime::traits::{Block as BlockT, Header as HeaderT, UniqueSaturatedInto};

pub use pallet_work_payment_runtime_api::WorkPaymentApi as WorkPaymentRuntimeApi;
use substrate_frame_rpc_system::AccountNonceApi;

mod progress;
mod token;

use progress::{Book, Credit, Progress};
use token::{token_key, Assignment, Sealer};

/// The most nonces one `work_submit` takes.
pub const MAX_NONCES: usize = 1024;
/// A share is worth this fraction of the required effort: 64 shares are expected before the
/// work is done.
pub const SHARES_PER_JOB: u128 = 64;
/// How many nonces a token assigns (2^40: far more than any required effort needs).
pub const NONCE_RANGE: u64 = 1 << 40;

/// The refusals of the `work_*` methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
	/// The call does not decode.
	BadCall,
	/// The runtime will not take this call paid by work.
	NotPayable,
	/// The token was not issued by this node run, or was altered.
	ForgedToken,
	/// The token's anchor is too old for the next block.
	Expired,
	/// More than [`MAX_NONCES`] nonces in one submission.
	TooManyNonces,
	/// A nonce is not a 64-bit number.
	BadNonce,
	/// The token holds as many shares as it may.
	TooManyShares,
	/// The runtime API failed.
	Runtime,
}

impl ErrorKind {
	/// The JSON-RPC error code.
	pub fn code(self) -> i32 {
		9300 + self as i32
	}

	/// The name (the error's message).
	pub fn name(self) -> &'static str {
		match self {
			ErrorKind::BadCall => "BadCall",
			ErrorKind::NotPayable => "NotPayable",
			ErrorKind::ForgedToken => "ForgedToken",
			ErrorKind::Expired => "Expired",
			ErrorKind::TooManyNonces => "TooManyNonces",
			ErrorKind::BadNonce => "BadNonce",
			ErrorKind::TooManyShares => "TooManyShares",
			ErrorKind::Runtime => "Runtime",
		}
	}

	fn error(self, data: impl Into<String>) -> ErrorObjectOwned {
		ErrorObjectOwned::owned(self.code(), self.name(), Some(data.into()))
	}
}

/// A nonce given as a decimal string or a JSON number; `None` when it is neither (refused as
/// `BadNonce`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NonceParam(pub Option<u64>);

impl<'de> Deserialize<'de> for NonceParam {
	fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
		#[derive(Deserialize)]
		#[serde(untagged)]
		enum Raw {
			Number(u64),
			Text(String),
			Other(serde::de::IgnoredAny),
		}
		Ok(NonceParam(match Raw::deserialize(deserializer)? {
			Raw::Number(n) => Some(n),
			Raw::Text(s) => s.parse().ok(),
			Raw::Other(_) => None,
		}))
	}
}

/// The seal a work-paid transaction is sent with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SealJson {
	/// The anchor block.
	pub anchor: u64,
	/// The nonce (decimal string).
	pub nonce: String,
}

/// What `work_request` answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkAssignment {
	/// The token to submit shares with (`0x`-hex).
	pub token: Bytes,
	/// The 32 bytes to work on.
	pub pre_image: Bytes,
	/// The anchor block the seal names.
	pub anchor: u64,
	/// Its hash.
	pub anchor_hash: Bytes,
	/// The last block the transaction can be included in.
	pub expires: u64,
	/// The effort that pays for the transaction (decimal string).
	pub required_effort: String,
	/// The effort of one share (decimal string).
	pub share_effort: String,
	/// The first nonce of the assigned range (decimal string).
	pub nonce_start: String,
	/// How many nonces the range holds (decimal string).
	pub nonce_count: String,
	/// The transaction nonce the pre-image binds.
	pub tx_nonce: u64,
}

/// What `work_submit` and `work_status` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkProgress {
	/// Shares credited to the token in all.
	pub shares: u32,
	/// Shares credited by this submission.
	pub new_shares: u32,
	/// Nonces of this submission already credited.
	pub duplicates: u32,
	/// Nonces of this submission below the share effort.
	pub low_work: u32,
	/// Nonces of this submission outside the range.
	pub out_of_range: u32,
	/// `shares × share effort` (decimal string): the work shown so far.
	pub credited_effort: String,
	/// The effort that pays for the transaction (decimal string).
	pub required_effort: String,
	/// Whether a nonce meeting the required effort was submitted.
	pub done: bool,
	/// The seal, once done.
	pub seal: Option<SealJson>,
	/// The last block the transaction can be included in.
	pub expires: u64,
}

impl WorkProgress {
	fn new(assignment: &Assignment, credit: Credit, progress: Progress) -> Self {
		let shares = progress.shares.len() as u32;
		Self {
			shares,
			new_shares: credit.new_shares,
			duplicates: credit.duplicates,
			low_work: credit.low_work,
			out_of_range: credit.out_of_range,
			credited_effort: assignment.share.saturating_mul(shares.into()).to_string(),
			required_effort: assignment.required.to_string(),
			done: progress.seal.is_some(),
			seal: progress
				.seal
				.map(|nonce| SealJson { anchor: assignment.anchor, nonce: nonce.to_string() }),
			expires: assignment.expires,
		}
	}
}

/// The work-for-results methods.
#[rpc(server)]
pub trait WorkApi<AccountId, Nonce> {
	/// A token and an assignment for paying `call` (SCALE, `0x`-hex) by work as `signer`'s
	/// transaction number `nonce` (default: its next nonce).
	#[method(name = "work_request")]
	fn request(
		&self,
		call: Bytes,
		signer: AccountId,
		nonce: Option<Nonce>,
	) -> RpcResult<WorkAssignment>;

	/// Credits the shares among `nonces`; the seal once one meets the required effort.
	#[method(name = "work_submit")]
	fn submit(&self, token: Bytes, nonces: Vec<NonceParam>) -> RpcResult<WorkProgress>;

	/// The token's progress.
	#[method(name = "work_status")]
	fn status(&self, token: Bytes) -> RpcResult<WorkProgress>;
}

/// Serves [`WorkApiServer`] from a client whose runtime has `WorkPaymentApi`.
pub struct Work<C, Block, Call> {
	client: Arc<C>,
	sealer: Sealer,
	book: Mutex<Book>,
	_marker: PhantomData<(Block, Call)>,
}

impl<C, Block, Call> Work<C, Block, Call> {
	/// The handler, with a fresh token secret.
	pub fn new(client: Arc<C>) -> Self {
		Self {
			client,
			sealer: Sealer::random(),
			book: Mutex::new(Book::default()),
			_marker: PhantomData,
		}
	}
}

impl<C, Block, Call> Work<C, Block, Call>
where
	Block: BlockT,
	C: HeaderBackend<Block>,
{
	/// The assignment of `token`, if this node issued it and the next block can still take it.
	fn open(&self, token: &[u8]) -> RpcResult<Assignment> {
		let assignment = self.sealer.open(token).ok_or_else(|| {
			ErrorKind::ForgedToken.error("the token was not issued by this node run or was altered")
		})?;
		let best: u64 = self.client.info().best_number.unique_saturated_into();
		if best.saturating_add(1) > assignment.expires {
			return Err(ErrorKind::Expired.error(format!(
				"the anchor #{} is too old: the next block #{} is past #{}",
				assignment.anchor,
				best + 1,
				assignment.expires
			)));
		}
		Ok(assignment)
	}
}

impl<C, Block, Call, AccountId, Nonce> WorkApiServer<AccountId, Nonce> for Work<C, Block, Call>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: WorkPaymentRuntimeApi<
			Block,
			AccountId,
			Nonce,
			Call,
			<<Block as BlockT>::Header as HeaderT>::Number,
			<Block as BlockT>::Hash,
		> + AccountNonceApi<Block, AccountId, Nonce>,
	AccountId: Codec + Clone + Send + Sync + 'static,
	Nonce: Codec + Copy + Into<u64> + Send + Sync + 'static,
	Call: Codec + Send + Sync + 'static,
{
	fn request(
		&self,
		call: Bytes,
		signer: AccountId,
		nonce: Option<Nonce>,
	) -> RpcResult<WorkAssignment> {
		let mut bytes = &call[..];
		let decoded = <Call as Decode>::decode(&mut bytes)
			.ok()
			.filter(|_| bytes.is_empty())
			.ok_or_else(|| {
				ErrorKind::BadCall.error("the call does not decode to exactly one call")
			})?;
		let at = self.client.info().best_hash;
		let api = self.client.runtime_api();
		let runtime = |e: sp_api::ApiError| ErrorKind::Runtime.error(e.to_string());
		let tx_nonce = match nonce {
			Some(n) => n,
			None => api.account_nonce(at, signer.clone()).map_err(runtime)?,
		};
		let quote = api
			.quote(at, signer, tx_nonce, decoded)
			.map_err(runtime)?
			.map_err(|refusal| ErrorKind::NotPayable.error(refusal.name()))?;
		let required = quote.required_effort;
		let assignment = Assignment {
			pre_image: quote.pre_image,
			anchor: quote.anchor.unique_saturated_into(),
			expires: quote.expires.unique_saturated_into(),
			required,
			share: (required / SHARES_PER_JOB).max(1),
			// Below 2^52 - 2^40, so every nonce of the range is exact in a JavaScript number.
			nonce_start: rand::random::<u64>() % ((1 << 52) - NONCE_RANGE),
			nonce_count: NONCE_RANGE,
		};
		Ok(WorkAssignment {
			token: self.sealer.seal(&assignment).into(),
			pre_image: assignment.pre_image.to_vec().into(),
			anchor: assignment.anchor,
			anchor_hash: quote.anchor_hash.encode().into(),
			expires: assignment.expires,
			required_effort: required.to_string(),
			share_effort: assignment.share.to_string(),
			nonce_start: assignment.nonce_start.to_string(),
			nonce_count: assignment.nonce_count.to_string(),
			tx_nonce: tx_nonce.into(),
		})
	}

	fn submit(&self, token: Bytes, nonces: Vec<NonceParam>) -> RpcResult<WorkProgress> {
		if nonces.len() > MAX_NONCES {
			return Err(ErrorKind::TooManyNonces
				.error(format!("{} nonces; at most {MAX_NONCES} per submission", nonces.len())));
		}
		let nonces: Vec<u64> =
			nonces.into_iter().map(|n| n.0).collect::<Option<_>>().ok_or_else(|| {
				ErrorKind::BadNonce.error("a nonce is not a 64-bit decimal string or number")
			})?;
		let assignment = self.open(&token)?;
		let (credit, progress) =
			self.book.lock().submit(token_key(&token), &assignment, &nonces).map_err(|_| {
				ErrorKind::TooManyShares
					.error(format!("the token holds {} shares", progress::MAX_SHARES))
			})?;
		Ok(WorkProgress::new(&assignment, credit, progress))
	}

	fn status(&self, token: Bytes) -> RpcResult<WorkProgress> {
		let assignment = self.open(&token)?;
		let progress = self.book.lock().progress(&token_key(&token));
		Ok(WorkProgress::new(&assignment, Credit::default(), progress))
	}
}
