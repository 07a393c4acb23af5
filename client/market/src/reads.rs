//! Typed reads of the market's state: storage values decoded with the pallets' own types (keys
//! from the pallets' storage types), and the services runtime API.
//!
//! Every read takes `at`, the block to read at; `None` reads at the best block.

use codec::{Decode, DecodeAll, Encode};
use gpow_primitives_services::{InstanceId, OfferInfo as OfferInfoOf, ServiceTypeId};
use gpow_runtime::{AccountId, Balance, Hash, Nonce, Runtime};
use pallet_reputation::PoolId;

use crate::{
	chain::Chain,
	error::{Error, Result},
};

/// A registered service type: name, schema hash, volume unit and terms (panel size, parameter
/// set, deadline, shares, minimum stake).
pub type ServiceType = pallet_services::ServiceTypeOf<Runtime>;
/// A provider's stored offer of a type.
pub type Offer = pallet_services::OfferOf<Runtime>;
/// An offer as the services runtime API lists it, with its provider.
pub type OfferInfo = OfferInfoOf<AccountId, Balance>;
/// A service instance: type, consumer, provider, definition hash, payload reference, volume,
/// fee, backing, deadline and status (with the pool and result hash once evaluating).
pub type Instance = pallet_services::InstanceOf<Runtime>;
/// A validation pool: its post, parameters, state, window end (`ends_at`), panel and stakes.
pub type Pool = pallet_reputation::PoolRecordOf<Runtime>;
/// A member's stake in a pool.
pub type Stake = pallet_reputation::StakeRecord;
/// An account's REP: free, staked, bonded, unclaimed fees.
pub type RepAccount = pallet_reputation::RepAccount;
/// An account's published X25519 encryption key and its version.
pub type EncryptionKey = pallet_ssk::KeyRecord<<Runtime as pallet_ssk::Config>::KeyConsideration>;
/// The latest SSK envelope from one account to another.
pub type Envelope = pallet_ssk::EnvelopeRecordOf<Runtime>;
/// What `frame_system` keeps of an account beside its nonce (its balances).
type AccountData = <Runtime as frame_system::Config>::AccountData;

impl Chain {
	/// The value of type `V` stored at `key` at block `at`; `what` names it in errors.
	async fn read<V: Decode>(
		&self,
		what: &str,
		key: Vec<u8>,
		at: Option<Hash>,
	) -> Result<Option<V>> {
		let Some(bytes) = self.rpc.storage(key, at).await? else { return Ok(None) };
		decode(what, &bytes).map(Some)
	}

	/// Service type `id`.
	pub async fn service_type(
		&self,
		id: ServiceTypeId,
		at: Option<Hash>,
	) -> Result<Option<ServiceType>> {
		let key = pallet_services::ServiceTypes::<Runtime>::hashed_key_for(id);
		self.read("services.ServiceTypes", key, at).await
	}

	/// The id the next registered service type gets: types `0..next_type_id` have been
	/// registered.
	pub async fn next_type_id(&self, at: Option<Hash>) -> Result<ServiceTypeId> {
		let key = pallet_services::NextTypeId::<Runtime>::hashed_key().to_vec();
		Ok(self.read("services.NextTypeId", key, at).await?.unwrap_or_default())
	}

	/// The id the next instance gets: instances `0..next_instance_id` have been created (some
	/// may be closed since).
	pub async fn next_instance_id(&self, at: Option<Hash>) -> Result<InstanceId> {
		let key = pallet_services::NextInstanceId::<Runtime>::hashed_key().to_vec();
		Ok(self.read("services.NextInstanceId", key, at).await?.unwrap_or_default())
	}

	/// Instance `id`, until its consumer closes it.
	pub async fn instance(&self, id: InstanceId, at: Option<Hash>) -> Result<Option<Instance>> {
		let key = pallet_services::Instances::<Runtime>::hashed_key_for(id);
		self.read("services.Instances", key, at).await
	}

	/// The instance pool `pool` judges, until the pool settles.
	pub async fn pool_instance(
		&self,
		pool: PoolId,
		at: Option<Hash>,
	) -> Result<Option<InstanceId>> {
		let key = pallet_services::PoolInstances::<Runtime>::hashed_key_for(pool);
		self.read("services.PoolInstances", key, at).await
	}

	/// `provider`'s offer of `service_type` as stored (with what its instances use and commit).
	pub async fn offer_of(
		&self,
		service_type: ServiceTypeId,
		provider: &AccountId,
		at: Option<Hash>,
	) -> Result<Option<Offer>> {
		let key = pallet_services::Offers::<Runtime>::hashed_key_for(service_type, provider);
		self.read("services.Offers", key, at).await
	}

	/// Every offer of `service_type` with its provider (the `ServicesApi_offers` runtime API;
	/// empty for an unknown type).
	pub async fn offers(
		&self,
		service_type: ServiceTypeId,
		at: Option<Hash>,
	) -> Result<Vec<OfferInfo>> {
		let answer = self.rpc.runtime_call("ServicesApi_offers", service_type.encode(), at).await?;
		decode("ServicesApi_offers", &answer)
	}

	/// Pool `id`, until its last stake is claimed.
	pub async fn pool(&self, id: PoolId, at: Option<Hash>) -> Result<Option<Pool>> {
		let key = pallet_reputation::Pools::<Runtime>::hashed_key_for(id);
		self.read("reputation.Pools", key, at).await
	}

	/// `who`'s stake in pool `pool`, until claimed.
	pub async fn stake_in(
		&self,
		pool: PoolId,
		who: &AccountId,
		at: Option<Hash>,
	) -> Result<Option<Stake>> {
		let key = pallet_reputation::Stakes::<Runtime>::hashed_key_for(pool, who);
		self.read("reputation.Stakes", key, at).await
	}

	/// `who`'s nonce at block `at`: how many of its transactions the chain holds.
	pub async fn nonce(&self, who: &AccountId, at: Option<Hash>) -> Result<Nonce> {
		let key = frame_system::Account::<Runtime>::hashed_key_for(who);
		let info: Option<frame_system::AccountInfo<Nonce, AccountData>> =
			self.read("system.Account", key, at).await?;
		Ok(info.map_or(0, |info| info.nonce))
	}

	/// `who`'s REP (all zero for an account that never held any).
	pub async fn rep(&self, who: &AccountId, at: Option<Hash>) -> Result<RepAccount> {
		let key = pallet_reputation::Accounts::<Runtime>::hashed_key_for(who);
		Ok(self.read("reputation.Accounts", key, at).await?.unwrap_or_default())
	}

	/// `who`'s published encryption key.
	pub async fn encryption_key(
		&self,
		who: &AccountId,
		at: Option<Hash>,
	) -> Result<Option<EncryptionKey>> {
		let key = pallet_ssk::EncryptionKeys::<Runtime>::hashed_key_for(who);
		self.read("ssk.EncryptionKeys", key, at).await
	}

	/// The latest envelope from `from` to `to`.
	pub async fn envelope(
		&self,
		from: &AccountId,
		to: &AccountId,
		at: Option<Hash>,
	) -> Result<Option<Envelope>> {
		let key = pallet_ssk::Envelopes::<Runtime>::hashed_key_for(from, to);
		self.read("ssk.Envelopes", key, at).await
	}
}

/// `bytes` decoded as a whole `V`; `what` names it in the error.
pub(crate) fn decode<V: Decode>(what: &str, bytes: &[u8]) -> Result<V> {
	V::decode_all(&mut &bytes[..])
		.map_err(|e| Error::Decode { what: what.to_string(), reason: e.to_string() })
}
