//! JSON-RPC methods of the reputation layer:
//!
//! - `reputation_rep(who, at?)`: the account's free and staked REP, its claimable fees and the
//!   total REP supply;
//! - `reputation_post(id, at?)`: a post's authors, content hash, value and citations (with the
//!   REP that has flowed along each), or `null`;
//! - `reputation_pool(id, at?)`: a pool's parameters, state (open or settled with its verdict)
//!   and tallies, or `null`.
//!
//! Accounts are SS58 strings, hashes `0x`-hex. REP and currency amounts are decimal strings (they
//! are `u128` and do not fit a JavaScript number); ratios are parts per billion (integers).

use std::{fmt::Display, marker::PhantomData, sync::Arc};

use codec::Codec;
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorObject, ErrorObjectOwned},
};
use pallet_reputation_runtime_api::{
	CitationInfo, CitationTarget, PoolId, PoolInfo, PoolParams, PoolStatus, PostId, PostInfo,
	RepInfo, Verdict,
};
use serde::{Deserialize, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::{traits::Block as BlockT, FixedPointNumber, FixedU128, Perbill};

pub use pallet_reputation_runtime_api::ReputationApi as ReputationRuntimeApi;

/// An account's REP as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RepJson {
	/// Free REP (stakeable; earns fees; counts in panel draws).
	pub free: String,
	/// REP staked in pools and not claimed back yet.
	pub staked: String,
	/// REP bonded as availability stakes.
	pub bonded: String,
	/// Fees claimable now, in the currency's smallest unit.
	pub claimable_fees: String,
	/// The total REP supply.
	pub total_supply: String,
}

impl<B: Display> From<RepInfo<B>> for RepJson {
	fn from(r: RepInfo<B>) -> Self {
		Self {
			free: r.free.to_string(),
			staked: r.staked.to_string(),
			bonded: r.bonded.to_string(),
			claimable_fees: r.claimable_fees.to_string(),
			total_supply: r.total_supply.to_string(),
		}
	}
}

/// A citation target as JSON: `{"post": 3}` or `"incinerator"`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TargetJson {
	/// An older post.
	Post(PostId),
	/// The Incinerator.
	Incinerator,
}

impl From<CitationTarget> for TargetJson {
	fn from(t: CitationTarget) -> Self {
		match t {
			CitationTarget::Post(id) => Self::Post(id),
			CitationTarget::Incinerator => Self::Incinerator,
		}
	}
}

/// A citation as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CitationJson {
	/// What is cited.
	pub target: TargetJson,
	/// Signed weight, parts per billion.
	pub weight: i32,
	/// REP that has flowed along the citation (given, burned, or leached for a negative one).
	pub flowed: String,
}

impl From<CitationInfo> for CitationJson {
	fn from(c: CitationInfo) -> Self {
		Self { target: c.target.into(), weight: c.weight, flowed: c.flowed.to_string() }
	}
}

/// An author as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorJson<AccountId> {
	/// The author.
	pub account: AccountId,
	/// Weight, parts per billion.
	pub weight: u32,
}

/// A post as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostJson<AccountId, Hash, BlockNumber> {
	/// Who added it.
	pub poster: AccountId,
	/// The authors.
	pub authors: Vec<AuthorJson<AccountId>>,
	/// The content hash.
	pub content_hash: Hash,
	/// The citations.
	pub citations: Vec<CitationJson>,
	/// REP the authors gained through the post, net.
	pub value: String,
	/// The block it was added in.
	pub created_at: BlockNumber,
	/// How many posts cite it.
	pub cited_by: u32,
	/// How many pools were opened on it.
	pub pools: u32,
}

impl<A, H, N> From<PostInfo<A, H, N>> for PostJson<A, H, N> {
	fn from(p: PostInfo<A, H, N>) -> Self {
		Self {
			poster: p.poster,
			authors: p
				.authors
				.into_iter()
				.map(|(account, w)| AuthorJson { account, weight: w.deconstruct() })
				.collect(),
			content_hash: p.content_hash,
			citations: p.citations.into_iter().map(Into::into).collect(),
			value: p.value.to_string(),
			created_at: p.created_at,
			cited_by: p.cited_by,
			pools: p.pools,
		}
	}
}

/// A fixed-point ratio as a decimal string with 18 decimals.
pub fn fixed_to_string(x: FixedU128) -> String {
	let inner = x.into_inner();
	let div = FixedU128::DIV;
	format!("{}.{:018}", inner / div, inner % div)
}

fn ppb(p: Perbill) -> u32 {
	p.deconstruct()
}

/// Pool parameters as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParamsJson<BlockNumber> {
	/// Voting window, blocks.
	pub duration: BlockNumber,
	/// Quorum, parts per billion.
	pub quorum: u32,
	/// Win ratio, parts per billion.
	pub win_ratio: u32,
	/// Binding, parts per billion.
	pub binding: u32,
	/// Whether forfeits go to the winners.
	pub redistribute_losing_stakes: bool,
	/// REP minted per unit of fee, decimal.
	pub minting_ratio: String,
	/// Share of the minted REP staked for the post, parts per billion.
	pub stake_for_author: u32,
	/// Citation depth.
	pub citation_depth: u8,
	/// Minimum fee.
	pub min_fee: String,
}

impl<N, B: Display> From<PoolParams<N, B>> for ParamsJson<N> {
	fn from(p: PoolParams<N, B>) -> Self {
		Self {
			duration: p.duration,
			quorum: ppb(p.quorum),
			win_ratio: ppb(p.win_ratio),
			binding: ppb(p.binding),
			redistribute_losing_stakes: p.redistribute_losing_stakes,
			minting_ratio: fixed_to_string(p.minting_ratio),
			stake_for_author: ppb(p.stake_for_author),
			citation_depth: p.citation_depth,
			min_fee: p.min_fee.to_string(),
		}
	}
}

/// A verdict as JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum VerdictJson {
	/// Ratified.
	Passed,
	/// Rejected.
	Failed,
	/// Quorum not met.
	NoQuorum,
}

impl From<Verdict> for VerdictJson {
	fn from(v: Verdict) -> Self {
		match v {
			Verdict::Passed => Self::Passed,
			Verdict::Failed => Self::Failed,
			Verdict::NoQuorum => Self::NoQuorum,
		}
	}
}

/// A pool as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolJson<AccountId, BlockNumber> {
	/// The post judged.
	pub post: PostId,
	/// Who paid the fee.
	pub initiator: AccountId,
	/// Its parameters.
	pub params: ParamsJson<BlockNumber>,
	/// The fee.
	pub fee: String,
	/// `"open"` or `"settled"`.
	pub state: String,
	/// The verdict, once settled.
	pub verdict: Option<VerdictJson>,
	/// REP shared among the winning members' stakes, once settled.
	pub member_winnings: Option<String>,
	/// All REP for: minted, members' and the backing.
	pub total_for: String,
	/// All REP against: minted plus members'.
	pub total_against: String,
	/// Minted REP staked for.
	pub minted_for: String,
	/// Minted REP staked against.
	pub minted_against: String,
	/// Members' stakes for.
	pub stake_for: String,
	/// Members' stakes against.
	pub stake_against: String,
	/// The backer of a backed pool.
	pub backer: Option<AccountId>,
	/// The backer's bonded REP staked for (not counted toward the quorum).
	pub backing: String,
	/// Quorum denominator.
	pub quorum_base: String,
	/// Opening block.
	pub opened_at: BlockNumber,
	/// First block at which it may settle.
	pub ends_at: BlockNumber,
	/// The panel of a panel pool.
	pub panel: Option<Vec<AccountId>>,
	/// Members who staked.
	pub voters: u32,
	/// Stakes not claimed yet.
	pub unclaimed_stakes: u32,
	/// REP the pool still holds.
	pub remaining: String,
	/// Whether it is the bootstrap pool.
	pub bootstrap: bool,
}

impl<A, N, B: Display> From<PoolInfo<A, N, B>> for PoolJson<A, N> {
	fn from(p: PoolInfo<A, N, B>) -> Self {
		let (state, verdict, member_winnings) = match p.status {
			PoolStatus::Open => ("open", None, None),
			PoolStatus::Settled { verdict, member_winnings } => {
				("settled", Some(verdict.into()), Some(member_winnings.to_string()))
			},
		};
		let (backer, backing) = match p.backing {
			Some((backer, backing)) => (Some(backer), backing),
			None => (None, 0),
		};
		Self {
			post: p.post,
			initiator: p.initiator,
			params: p.params.into(),
			fee: p.fee.to_string(),
			state: state.into(),
			verdict,
			member_winnings,
			total_for: p.minted_for.saturating_add(p.stake_for).saturating_add(backing).to_string(),
			total_against: p.minted_against.saturating_add(p.stake_against).to_string(),
			minted_for: p.minted_for.to_string(),
			minted_against: p.minted_against.to_string(),
			stake_for: p.stake_for.to_string(),
			stake_against: p.stake_against.to_string(),
			backer,
			backing: backing.to_string(),
			quorum_base: p.quorum_base.to_string(),
			opened_at: p.opened_at,
			ends_at: p.ends_at,
			panel: p.panel,
			voters: p.voters,
			unclaimed_stakes: p.unclaimed_stakes,
			remaining: p.remaining.to_string(),
			bootstrap: p.bootstrap,
		}
	}
}

/// The reputation JSON-RPC interface.
///
/// `Balance` is the chain currency's balance type (fees), shown as decimal strings.
#[rpc(client, server)]
pub trait ReputationApi<BlockHash, AccountId, Hash, BlockNumber, Balance> {
	/// The REP of `who` at block `at` (default: best).
	#[method(name = "reputation_rep")]
	fn rep(&self, who: AccountId, at: Option<BlockHash>) -> RpcResult<RepJson>;

	/// Post `id` (value and citations) at block `at` (default: best).
	#[method(name = "reputation_post")]
	fn post(
		&self,
		id: PostId,
		at: Option<BlockHash>,
	) -> RpcResult<Option<PostJson<AccountId, Hash, BlockNumber>>>;

	/// Pool `id` (state and tallies) at block `at` (default: best).
	#[method(name = "reputation_pool")]
	fn pool(
		&self,
		id: PoolId,
		at: Option<BlockHash>,
	) -> RpcResult<Option<PoolJson<AccountId, BlockNumber>>>;
}

/// Serves [`ReputationApiServer`] from a client's runtime API.
pub struct Reputation<C, B> {
	client: Arc<C>,
	_block: PhantomData<B>,
}

impl<C, B> Reputation<C, B> {
	/// The RPC handler over `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _block: PhantomData }
	}
}

/// The error code of a failed runtime call.
const RUNTIME_ERROR: i32 = 1;

fn runtime_error(e: impl ToString) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, "Reputation runtime call failed", Some(e.to_string()))
}

impl<C, Block, AccountId, Hash, BlockNumber, Balance>
	ReputationApiServer<Block::Hash, AccountId, Hash, BlockNumber, Balance> for Reputation<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: ReputationRuntimeApi<Block, AccountId, Hash, BlockNumber, Balance>,
	AccountId: Codec + Serialize + Send + Sync + 'static,
	Hash: Codec + Serialize + Send + Sync + 'static,
	BlockNumber: Codec + Serialize + Send + Sync + 'static,
	Balance: Codec + Display + Send + Sync + 'static,
{
	fn rep(&self, who: AccountId, at: Option<Block::Hash>) -> RpcResult<RepJson> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let info = self.client.runtime_api().rep(at, who).map_err(runtime_error)?;
		Ok(info.into())
	}

	fn post(
		&self,
		id: PostId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<PostJson<AccountId, Hash, BlockNumber>>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let post = self.client.runtime_api().post(at, id).map_err(runtime_error)?;
		Ok(post.map(Into::into))
	}

	fn pool(
		&self,
		id: PoolId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<PoolJson<AccountId, BlockNumber>>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let pool = self.client.runtime_api().pool(at, id).map_err(runtime_error)?;
		Ok(pool.map(Into::into))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn post_json_has_signed_weights_and_string_amounts() {
		let info = PostInfo {
			poster: 7u64,
			authors: vec![(7u64, Perbill::from_percent(100))],
			content_hash: 9u64,
			citations: vec![
				CitationInfo { target: CitationTarget::Post(1), weight: -250_000_000, flowed: 5 },
				CitationInfo {
					target: CitationTarget::Incinerator,
					weight: 100_000_000,
					flowed: 2,
				},
			],
			value: u128::MAX,
			created_at: 3u32,
			cited_by: 0,
			pools: 1,
		};
		let json = serde_json::to_value(PostJson::from(info)).unwrap();
		assert_eq!(json["value"], u128::MAX.to_string());
		assert_eq!(json["citations"][0]["target"]["post"], 1);
		assert_eq!(json["citations"][0]["weight"], -250_000_000);
		assert_eq!(json["citations"][1]["target"], "incinerator");
		assert_eq!(json["authors"][0]["weight"], 1_000_000_000u32);
	}

	#[test]
	fn minting_ratio_prints_as_decimal() {
		assert_eq!(fixed_to_string(FixedU128::from_u32(1)), "1.000000000000000000");
		assert_eq!(fixed_to_string(FixedU128::from_rational(1, 4)), "0.250000000000000000");
	}
}
