//! JSON-RPC methods of governance by reputation:
//!
//! - `governance_proposals(from?, max?, at?)`: up to `max` (default and cap [`MAX_PROPOSALS`])
//!   proposals from id `from` (default 0) on, in id order;
//! - `governance_proposal(id, at?)`: proposal `id`, or `null`;
//! - `governance_tracks(at?)`: every track with its settings, how many of its proposals are
//!   active and its allow-list;
//! - `governance_parameters(at?)`: every runtime parameter governance tunes (block reward,
//!   storage deposits, attestation effort, minimum difficulty) with the value in effect and the
//!   range it is clamped to: `[{ "name": "rewards.BlockReward", "value": "10000000000000",
//!   "min": "1000000000", "max": "1000000000000000" }]` (decimal strings).
//!
//! Accounts are SS58 strings, hashes `0x`-hex, currency amounts decimal strings (they are `u128`
//! and do not fit a JavaScript number), names UTF-8 strings. A proposal looks like:
//!
//! ```json
//! { "id": 0, "proposer": "5Grw...", "track": 0, "post": 3, "pool": 1,
//!   "callHash": "0x5f...", "callLen": 7, "deposit": "1000000000000", "proposedAt": 12,
//!   "status": "scheduled", "enactmentAt": 40, "succeeded": null }
//! ```
//!
//! `status` is one of `voting`, `scheduled` (`enactmentAt` set), `enacted` (`enactmentAt` and
//! `succeeded` set), `rejected`, `noQuorum`, `bootstrap`, `unschedulable`, `cancelled`. A track:
//!
//! ```json
//! { "id": 0, "name": "parameters", "paramSet": "gov-parameters", "panelSize": 0,
//!   "poolFee": "1000000000000", "deposit": "100000000000000", "enactmentDelay": 100,
//!   "maxActive": 8, "active": 1, "allowedCalls": [["Difficulty", "set_target_block_time"]] }
//! ```

use std::{fmt::Display, marker::PhantomData, sync::Arc};

use codec::Codec;
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorObject, ErrorObjectOwned},
};
use pallet_governance_runtime_api::{
	GovernedParameter, ProposalId, ProposalInfo, ProposalStatus, TrackDetails, TrackId,
};
use serde::{Deserialize, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;

pub use pallet_governance_runtime_api::GovernanceApi as GovernanceRuntimeApi;

/// The most proposals one `governance_proposals` call returns.
pub const MAX_PROPOSALS: u32 = 256;

/// A proposal's status as JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StatusJson {
	/// Its pool is open.
	Voting,
	/// Passed; the call runs at `enactmentAt`.
	Scheduled,
	/// The call was dispatched at `enactmentAt`; `succeeded` tells how it went.
	Enacted,
	/// The pool failed; the deposit was forfeited.
	Rejected,
	/// The pool reached no quorum; the deposit was returned.
	NoQuorum,
	/// It was voted in the bootstrap pool, which never enacts.
	Bootstrap,
	/// Passed, but the scheduler's agenda was full.
	Unschedulable,
	/// The enactment was cancelled by the emergency track.
	Cancelled,
}

/// A proposal as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProposalJson<AccountId, BlockNumber, Hash> {
	/// Its id.
	pub id: ProposalId,
	/// Who proposed it.
	pub proposer: AccountId,
	/// Its track.
	pub track: TrackId,
	/// The post with its reasons.
	pub post: u64,
	/// The validation pool voting on it.
	pub pool: u64,
	/// The hash of the encoded call.
	pub call_hash: Hash,
	/// The length of the encoded call, in bytes.
	pub call_len: u32,
	/// The deposit.
	pub deposit: String,
	/// The block it was proposed in.
	pub proposed_at: BlockNumber,
	/// Its status.
	pub status: StatusJson,
	/// The enactment block, once scheduled.
	pub enactment_at: Option<BlockNumber>,
	/// Whether the enacted call succeeded, once enacted.
	pub succeeded: Option<bool>,
}

impl<A, B: Display, N, H> From<ProposalInfo<A, B, N, H>> for ProposalJson<A, N, H> {
	fn from(p: ProposalInfo<A, B, N, H>) -> Self {
		let (status, enactment_at, succeeded) = match p.status {
			ProposalStatus::Voting => (StatusJson::Voting, None, None),
			ProposalStatus::Scheduled { at } => (StatusJson::Scheduled, Some(at), None),
			ProposalStatus::Enacted { at, succeeded } => {
				(StatusJson::Enacted, Some(at), Some(succeeded))
			},
			ProposalStatus::Rejected => (StatusJson::Rejected, None, None),
			ProposalStatus::NoQuorum => (StatusJson::NoQuorum, None, None),
			ProposalStatus::Bootstrap => (StatusJson::Bootstrap, None, None),
			ProposalStatus::Unschedulable => (StatusJson::Unschedulable, None, None),
			ProposalStatus::Cancelled => (StatusJson::Cancelled, None, None),
		};
		Self {
			id: p.id,
			proposer: p.proposer,
			track: p.track,
			post: p.post,
			pool: p.pool,
			call_hash: p.call_hash,
			call_len: p.call_len,
			deposit: p.deposit.to_string(),
			proposed_at: p.proposed_at,
			status,
			enactment_at,
			succeeded,
		}
	}
}

/// A track as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackJson<BlockNumber> {
	/// Its id.
	pub id: TrackId,
	/// Its name.
	pub name: String,
	/// The reputation parameter set its pools run with.
	pub param_set: String,
	/// 0: every REP holder votes; `m`: a panel of `m`.
	pub panel_size: u32,
	/// The fee a proposer pays to open the pool.
	pub pool_fee: String,
	/// The deposit held while the proposal is voted on.
	pub deposit: String,
	/// Blocks from a passed pool's settlement to enactment.
	pub enactment_delay: BlockNumber,
	/// The most active proposals.
	pub max_active: u32,
	/// How many are active now.
	pub active: u32,
	/// The calls it may enact, as `[pallet, call]` names (`"*"`: every call of the pallet).
	pub allowed_calls: Vec<(String, String)>,
}

fn text(bytes: impl AsRef<[u8]>) -> String {
	String::from_utf8_lossy(bytes.as_ref()).into_owned()
}

impl<B: Display, N> From<TrackDetails<B, N>> for TrackJson<N> {
	fn from(t: TrackDetails<B, N>) -> Self {
		Self {
			id: t.id,
			name: text(&t.info.name),
			param_set: text(&t.info.param_set),
			panel_size: t.info.panel_size,
			pool_fee: t.info.pool_fee.to_string(),
			deposit: t.info.deposit.to_string(),
			enactment_delay: t.info.enactment_delay,
			max_active: t.info.max_active,
			active: t.active,
			allowed_calls: t.allowed_calls.into_iter().map(|(p, c)| (text(p), text(c))).collect(),
		}
	}
}

/// A governed runtime parameter as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParameterJson {
	/// `pallet.Name`.
	pub name: String,
	/// The value in effect.
	pub value: String,
	/// The smallest value in effect, whatever a vote sets.
	pub min: String,
	/// The largest value in effect, whatever a vote sets.
	pub max: String,
}

impl From<GovernedParameter> for ParameterJson {
	fn from(p: GovernedParameter) -> Self {
		Self {
			name: text(&p.name),
			value: p.value.to_string(),
			min: p.min.to_string(),
			max: p.max.to_string(),
		}
	}
}

/// The governance JSON-RPC interface.
#[rpc(client, server)]
pub trait GovernanceApi<BlockHash, AccountId, BlockNumber, Hash> {
	/// Up to `max` (default and cap [`MAX_PROPOSALS`]) proposals from id `from` (default 0), at
	/// block `at` (default: best).
	#[method(name = "governance_proposals")]
	fn proposals(
		&self,
		from: Option<ProposalId>,
		max: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<ProposalJson<AccountId, BlockNumber, Hash>>>;

	/// Proposal `id` at block `at` (default: best), or `null`.
	#[method(name = "governance_proposal")]
	fn proposal(
		&self,
		id: ProposalId,
		at: Option<BlockHash>,
	) -> RpcResult<Option<ProposalJson<AccountId, BlockNumber, Hash>>>;

	/// Every track at block `at` (default: best).
	#[method(name = "governance_tracks")]
	fn tracks(&self, at: Option<BlockHash>) -> RpcResult<Vec<TrackJson<BlockNumber>>>;

	/// Every governed runtime parameter at block `at` (default: best).
	#[method(name = "governance_parameters")]
	fn parameters(&self, at: Option<BlockHash>) -> RpcResult<Vec<ParameterJson>>;
}

/// Serves [`GovernanceApiServer`] from a client's runtime API.
pub struct Governance<C, B, Balance> {
	client: Arc<C>,
	_marker: PhantomData<(B, Balance)>,
}

impl<C, B, Balance> Governance<C, B, Balance> {
	/// The RPC handler over `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _marker: PhantomData }
	}
}

/// The error code of a failed runtime call.
pub const RUNTIME_ERROR: i32 = 1;

fn runtime_error(e: impl ToString) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, "Governance runtime call failed", Some(e.to_string()))
}

impl<C, Block, AccountId, Balance, BlockNumber, Hash>
	GovernanceApiServer<Block::Hash, AccountId, BlockNumber, Hash> for Governance<C, Block, Balance>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: GovernanceRuntimeApi<Block, AccountId, Balance, BlockNumber, Hash>,
	AccountId: Codec + Serialize + Send + Sync + 'static,
	Balance: Codec + Display + Send + Sync + 'static,
	BlockNumber: Codec + Serialize + Send + Sync + 'static,
	Hash: Codec + Serialize + Send + Sync + 'static,
{
	fn proposals(
		&self,
		from: Option<ProposalId>,
		max: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<ProposalJson<AccountId, BlockNumber, Hash>>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let max = max.unwrap_or(MAX_PROPOSALS).min(MAX_PROPOSALS);
		let proposals = self
			.client
			.runtime_api()
			.proposals(at, from.unwrap_or_default(), max)
			.map_err(runtime_error)?;
		Ok(proposals.into_iter().map(Into::into).collect())
	}

	fn proposal(
		&self,
		id: ProposalId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<ProposalJson<AccountId, BlockNumber, Hash>>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let proposal = self.client.runtime_api().proposal(at, id).map_err(runtime_error)?;
		Ok(proposal.map(Into::into))
	}

	fn tracks(&self, at: Option<Block::Hash>) -> RpcResult<Vec<TrackJson<BlockNumber>>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let tracks = self.client.runtime_api().tracks(at).map_err(runtime_error)?;
		Ok(tracks.into_iter().map(Into::into).collect())
	}

	fn parameters(&self, at: Option<Block::Hash>) -> RpcResult<Vec<ParameterJson>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let parameters = self.client.runtime_api().parameters(at).map_err(runtime_error)?;
		Ok(parameters.into_iter().map(Into::into).collect())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use pallet_governance_runtime_api::TrackInfo;

	#[test]
	fn proposal_json_flattens_the_status_and_prints_amounts_as_strings() {
		let info = ProposalInfo {
			id: 4,
			proposer: 7u64,
			track: 1,
			post: 9,
			pool: 3,
			call_hash: 11u64,
			call_len: 40,
			deposit: u128::MAX,
			proposed_at: 5u32,
			status: ProposalStatus::Enacted { at: 30, succeeded: false },
		};
		let json = serde_json::to_value(ProposalJson::from(info)).unwrap();
		assert_eq!(json["deposit"], u128::MAX.to_string());
		assert_eq!(json["callHash"], 11);
		assert_eq!(json["callLen"], 40);
		assert_eq!(json["proposedAt"], 5);
		assert_eq!(json["status"], "enacted");
		assert_eq!(json["enactmentAt"], 30);
		assert_eq!(json["succeeded"], false);
	}

	#[test]
	fn a_voting_proposal_has_no_enactment() {
		let info = ProposalInfo {
			id: 0,
			proposer: 1u64,
			track: 0,
			post: 0,
			pool: 0,
			call_hash: 0u64,
			call_len: 0,
			deposit: 1u128,
			proposed_at: 1u32,
			status: ProposalStatus::NoQuorum,
		};
		let json = serde_json::to_value(ProposalJson::from(info)).unwrap();
		assert_eq!(json["status"], "noQuorum");
		assert!(json["enactmentAt"].is_null());
		assert!(json["succeeded"].is_null());
	}

	#[test]
	fn parameter_json_prints_values_as_strings() {
		let p = GovernedParameter {
			name: b"rewards.BlockReward".to_vec(),
			value: u128::MAX,
			min: 1,
			max: u128::MAX,
		};
		let json = serde_json::to_value(ParameterJson::from(p)).unwrap();
		assert_eq!(json["name"], "rewards.BlockReward");
		assert_eq!(json["value"], u128::MAX.to_string());
		assert_eq!(json["min"], "1");
	}

	#[test]
	fn track_json_names_are_text() {
		let details = TrackDetails {
			id: 2,
			info: TrackInfo {
				name: b"emergency".to_vec().try_into().unwrap(),
				param_set: b"gov-emergency".to_vec().try_into().unwrap(),
				panel_size: 0,
				pool_fee: 10u128,
				deposit: 1_000u128,
				enactment_delay: 100u32,
				max_active: 4,
			},
			active: 1,
			allowed_calls: vec![(b"Governance".to_vec(), b"cancel".to_vec())],
		};
		let json = serde_json::to_value(TrackJson::from(details)).unwrap();
		assert_eq!(json["name"], "emergency");
		assert_eq!(json["paramSet"], "gov-emergency");
		assert_eq!(json["deposit"], "1000");
		assert_eq!(json["enactmentDelay"], 100);
		assert_eq!(json["allowedCalls"][0][0], "Governance");
		assert_eq!(json["allowedCalls"][0][1], "cancel");
	}
}
