//! JSON-RPC methods of the PoW attestations:
//!
//! - `powAttest_currentRound(at?)`: the chain's current keep-alive round;
//! - `powAttest_workScore(gate, round, at?)`: the work `gate` attested in `round`, or `null`;
//! - `powAttest_scores(round, at?)`: every gate's attested work in `round` (bounded);
//! - `powAttest_isRegistered(gate, at?)`: whether `gate` is a registered gate identity.
//!
//! Gates are `0x`-hex 32-byte ed25519 public keys. Scores are decimal strings (they are `u128`
//! and exceed JavaScript's safe integers); rounds and challenge counts are numbers.

use std::{marker::PhantomData, sync::Arc};

use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorObject, ErrorObjectOwned},
};
use pallet_pow_attest_runtime_api::{AttestedWork, GateId, RoundScore, WorkScore};
use serde::{Deserialize, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::H256;
use sp_runtime::traits::Block as BlockT;

pub use pallet_pow_attest_runtime_api::PowAttestApi as PowAttestRuntimeApi;

/// A gate's attested work in a round, as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkScoreJson {
	/// How many distinct registered gates challenged the prover.
	pub challenges: u32,
	/// `challenges * EffortPerChallenge` (expected hashes), as a decimal string.
	#[serde(with = "decimal")]
	pub score: WorkScore,
}

impl From<AttestedWork> for WorkScoreJson {
	fn from(w: AttestedWork) -> Self {
		Self { challenges: w.challenges, score: w.score }
	}
}

/// One gate's attested work in a round, as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundScoreJson {
	/// The prover's gate identity.
	pub gate: H256,
	/// How many distinct registered gates challenged it.
	pub challenges: u32,
	/// Its work score, as a decimal string.
	#[serde(with = "decimal")]
	pub score: WorkScore,
}

impl From<RoundScore> for RoundScoreJson {
	fn from(s: RoundScore) -> Self {
		Self { gate: H256(s.gate.0), challenges: s.work.challenges, score: s.work.score }
	}
}

/// `u128` as a decimal string.
mod decimal {
	use serde::{de::Error, Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer>(value: &u128, s: S) -> Result<S::Ok, S::Error> {
		s.serialize_str(&value.to_string())
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
		let text = String::deserialize(d)?;
		text.parse().map_err(D::Error::custom)
	}
}

/// The PoW attestation JSON-RPC interface.
#[rpc(client, server)]
pub trait PowAttestApi<BlockHash> {
	/// The current round at block `at` (default: best): `floor(timestamp / RoundPeriod)`.
	#[method(name = "powAttest_currentRound")]
	fn current_round(&self, at: Option<BlockHash>) -> RpcResult<u64>;

	/// The work `gate` attested in `round` at block `at` (default: best).
	#[method(name = "powAttest_workScore")]
	fn work_score(
		&self,
		gate: H256,
		round: u64,
		at: Option<BlockHash>,
	) -> RpcResult<Option<WorkScoreJson>>;

	/// Every gate's attested work in `round` at block `at` (default: best).
	#[method(name = "powAttest_scores")]
	fn scores(&self, round: u64, at: Option<BlockHash>) -> RpcResult<Vec<RoundScoreJson>>;

	/// Whether `gate` is registered at block `at` (default: best).
	#[method(name = "powAttest_isRegistered")]
	fn is_registered(&self, gate: H256, at: Option<BlockHash>) -> RpcResult<bool>;
}

/// Serves [`PowAttestApiServer`] from a client's runtime API.
pub struct PowAttest<C, B> {
	client: Arc<C>,
	_block: PhantomData<B>,
}

impl<C, B> PowAttest<C, B> {
	/// The RPC handler over `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _block: PhantomData }
	}
}

/// The error code of a failed runtime call.
const RUNTIME_ERROR: i32 = 1;

fn runtime_error(e: impl ToString) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, "PoW attestation runtime call failed", Some(e.to_string()))
}

impl<C, Block> PowAttestApiServer<Block::Hash> for PowAttest<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: PowAttestRuntimeApi<Block>,
{
	fn current_round(&self, at: Option<Block::Hash>) -> RpcResult<u64> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		self.client.runtime_api().current_round(at).map_err(runtime_error)
	}

	fn work_score(
		&self,
		gate: H256,
		round: u64,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<WorkScoreJson>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let work = self
			.client
			.runtime_api()
			.work_score(at, GateId(gate.0), round)
			.map_err(runtime_error)?;
		Ok(work.map(Into::into))
	}

	fn scores(&self, round: u64, at: Option<Block::Hash>) -> RpcResult<Vec<RoundScoreJson>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let scores = self.client.runtime_api().scores(at, round).map_err(runtime_error)?;
		Ok(scores.into_iter().map(Into::into).collect())
	}

	fn is_registered(&self, gate: H256, at: Option<Block::Hash>) -> RpcResult<bool> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		self.client
			.runtime_api()
			.is_registered(at, GateId(gate.0))
			.map_err(runtime_error)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn scores_are_decimal_strings_and_gates_hex() {
		let work = WorkScoreJson::from(AttestedWork { challenges: 3, score: u128::MAX });
		let json = serde_json::to_value(&work).unwrap();
		assert_eq!(
			json,
			serde_json::json!({ "challenges": 3, "score": "340282366920938463463374607431768211455" })
		);
		assert_eq!(serde_json::from_value::<WorkScoreJson>(json).unwrap(), work);

		let entry = RoundScoreJson::from(RoundScore {
			gate: GateId([0xab; 32]),
			work: AttestedWork { challenges: 1, score: 65_536 },
		});
		let json = serde_json::to_value(&entry).unwrap();
		assert_eq!(json["gate"], serde_json::json!(format!("0x{}", "ab".repeat(32))));
		assert_eq!(json["score"], serde_json::json!("65536"));
		assert_eq!(serde_json::from_value::<RoundScoreJson>(json).unwrap(), entry);
	}
}
