//! The market's calls, each built as a [`RuntimeCall`] and sent with [`Chain::submit`]: what a
//! provider, a consumer and a validator do on chain.

use frame_support::{traits::Get, BoundedVec};
use gpow_primitives_services::{InstanceId, ServiceTypeId, Volume};
use gpow_runtime::{AccountId, Balance, BlockNumber, Hash, Runtime, RuntimeCall, RuntimeEvent};
use pallet_reputation::{PoolId, PostId, Rep, Side};
use sp_core::{sr25519, Pair};

use crate::{
	chain::Chain,
	error::{Error, Result},
	submit::{Included, NonceLease},
};

/// A consumer's request: what [`Chain::request`] asks negotiation for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
	/// The service type.
	pub service_type: ServiceTypeId,
	/// The hash of the definition (`gpow_market`'s `definition_hash()`).
	pub definition: Hash,
	/// A reference to the SSK-sealed payload, off chain (at most `MaxPayloadLen` bytes).
	pub payload: Vec<u8>,
	/// The volume, in the type's unit.
	pub volume: Volume,
	/// The highest rate per unit the consumer pays.
	pub max_rate: Balance,
	/// A provider to take if its offer fits; `None` lets negotiation pick.
	pub provider: Option<AccountId>,
}

/// The instance negotiation assigned (`services.Requested`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
	/// The instance.
	pub instance: InstanceId,
	/// The provider picked.
	pub provider: AccountId,
	/// The fee held in escrow.
	pub fee: Balance,
	/// The provider must submit its result before this block.
	pub deadline: BlockNumber,
	/// The transaction.
	pub included: Included,
}

/// The evaluation a result opened (`services.ResultSubmitted`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
	/// The panel pool that judges it.
	pub pool: PoolId,
	/// The evidence post.
	pub post: PostId,
	/// The transaction.
	pub included: Included,
}

/// `bytes` as a vector of at most `S` bytes; `what` names it in the error.
fn bounded<S: Get<u32>>(what: &'static str, bytes: Vec<u8>) -> Result<BoundedVec<u8, S>> {
	let len = bytes.len();
	BoundedVec::try_from(bytes).map_err(|_| Error::TooLong { what, len, max: S::get() })
}

/// A call of the services pallet.
fn services(call: pallet_services::Call<Runtime>) -> RuntimeCall {
	RuntimeCall::Services(call)
}

/// A call of the reputation pallet.
fn reputation(call: pallet_reputation::Call<Runtime>) -> RuntimeCall {
	RuntimeCall::Reputation(call)
}

impl Chain {
	/// `provider` offers `service_type`: `capacity` units at `rate` per unit, reachable at
	/// `endpoint`, bonding `stake` REP.
	pub async fn offer(
		&self,
		provider: &sr25519::Pair,
		service_type: ServiceTypeId,
		capacity: Volume,
		rate: Balance,
		endpoint: Vec<u8>,
		stake: Rep,
	) -> Result<Included> {
		let endpoint = bounded("the endpoint", endpoint)?;
		let call = pallet_services::Call::offer { service_type, capacity, rate, endpoint, stake };
		self.submit(provider, services(call)).await
	}

	/// `consumer` requests an instance; negotiation assigns it and the fee goes into escrow.
	pub async fn request(&self, consumer: &sr25519::Pair, request: Request) -> Result<Assignment> {
		let call = pallet_services::Call::request {
			service_type: request.service_type,
			definition: request.definition,
			payload: bounded("the payload", request.payload)?,
			volume: request.volume,
			max_rate: request.max_rate,
			provider: request.provider,
		};
		let included = self.submit(consumer, services(call)).await?;
		let (instance, provider, fee, deadline) =
			included.expect("services.Requested", |event| match event {
				RuntimeEvent::Services(pallet_services::Event::Requested {
					instance,
					provider,
					fee,
					deadline,
					..
				}) => Some((*instance, provider.clone(), *fee, *deadline)),
				_ => None,
			})?;
		Ok(Assignment { instance, provider, fee, deadline, included })
	}

	/// `provider` submits its commitment to the result of `instance` and the hash of its
	/// evidence; a panel pool opens to judge it.
	pub async fn submit_result(
		&self,
		provider: &sr25519::Pair,
		instance: InstanceId,
		result: Hash,
		evidence: Hash,
	) -> Result<Evaluation> {
		let lease = self.lease_nonce(&AccountId::from(provider.public())).await?;
		lease.submit_result(provider, instance, result, evidence).await
	}

	/// `consumer` cancels `instance`, whose provider missed the deadline: the fee comes back and
	/// the provider's backing is slashed.
	pub async fn cancel(&self, consumer: &sr25519::Pair, instance: InstanceId) -> Result<Included> {
		self.submit(consumer, services(pallet_services::Call::cancel { instance }))
			.await
	}

	/// `provider` declines `instance` in the first half of its time (typically: not
	/// delivered): the fee goes back to the consumer, nothing is slashed.
	pub async fn decline(
		&self,
		provider: &sr25519::Pair,
		instance: InstanceId,
	) -> Result<Included> {
		let lease = self.lease_nonce(&AccountId::from(provider.public())).await?;
		lease.decline(provider, instance).await
	}

	/// `member` stakes `amount` of its free REP for or against the post of `pool`.
	pub async fn stake(
		&self,
		member: &sr25519::Pair,
		pool: PoolId,
		side: Side,
		amount: Rep,
	) -> Result<Included> {
		let lease = self.lease_nonce(&AccountId::from(member.public())).await?;
		lease.stake(member, pool, side, amount).await
	}

	/// Settles `pool` once its window is over (anyone may).
	pub async fn settle(&self, signer: &sr25519::Pair, pool: PoolId) -> Result<Included> {
		self.submit(signer, reputation(pallet_reputation::Call::settle { pool })).await
	}

	/// `member` claims its stake (and winnings, or what the forfeit left) from the settled
	/// `pool`.
	pub async fn claim(&self, member: &sr25519::Pair, pool: PoolId) -> Result<Included> {
		self.submit(member, reputation(pallet_reputation::Call::claim { pool })).await
	}
}

impl NonceLease {
	/// [`Chain::stake`] with the leased nonce.
	pub async fn stake(
		self,
		member: &sr25519::Pair,
		pool: PoolId,
		side: Side,
		amount: Rep,
	) -> Result<Included> {
		self.submit(member, reputation(pallet_reputation::Call::stake { pool, side, amount }))
			.await
	}

	/// [`Chain::decline`] with the leased nonce.
	pub async fn decline(self, provider: &sr25519::Pair, instance: InstanceId) -> Result<Included> {
		self.submit(provider, services(pallet_services::Call::decline { instance }))
			.await
	}

	/// [`Chain::submit_result`] with the leased nonce.
	pub async fn submit_result(
		self,
		provider: &sr25519::Pair,
		instance: InstanceId,
		result: Hash,
		evidence: Hash,
	) -> Result<Evaluation> {
		let call = pallet_services::Call::submit_result { instance, result, evidence };
		let included = self.submit(provider, services(call)).await?;
		let (pool, post) = included.expect("services.ResultSubmitted", |event| match event {
			RuntimeEvent::Services(pallet_services::Event::ResultSubmitted {
				pool, post, ..
			}) => Some((*pool, *post)),
			_ => None,
		})?;
		Ok(Evaluation { pool, post, included })
	}
}
