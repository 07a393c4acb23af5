//! JSON-RPC methods of the service market:
//!
//! - `services_quote(serviceType, volume, maxRate, definition?, at?)`: a dry run of negotiation
//!   for the next instance: the provider it would pick, its rate, the fee `rate × volume` and how
//!   many offers are within `maxRate`. When no provider fits, the call fails with error code
//!   [`NO_QUOTE`], a message naming the reason and the reason itself as the error's `data`:
//!   `"unknownServiceType"`, `"zeroVolume"`, `"noOffers"`, `"noProviderWithinRate"` (every
//!   offer's rate is above `maxRate`), `"noProviderWithCapacity"` (the offers within the rate
//!   lack free capacity for the volume) or `"feeOverflow"`.
//! - `services_offers(serviceType, at?)`: the type's offers (empty for an unknown type).
//! - `services_instance(id, at?)`: an instance and its status, or `null`.
//!
//! Accounts are SS58 strings, hashes and byte strings `0x`-hex. Currency and REP amounts are
//! decimal strings (they are `u128` and do not fit a JavaScript number); `maxRate` may be given
//! as a decimal string, a `0x`-hex string or a JSON number. Ids and volumes are numbers.
//!
//! The quote is negotiated against the state of block `at` (default: the best block) exactly as a
//! request in the next block would be: seeded with `at`'s hash and the next instance id. If
//! another request lands first in that block, or the request lands later, the seed differs and
//! when several offers fit the pick may too; the rate bound, the fit and `withinRate` do not
//! depend on the seed.

use std::{fmt::Display, marker::PhantomData, sync::Arc};

use codec::Codec;
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorObject, ErrorObjectOwned},
};
use pallet_services_runtime_api::{
	InstanceId, InstanceInfo, InstanceStatus, OfferId, OfferInfo, Quote, QuoteError, ServiceTypeId,
	Volume,
};
use serde::{Deserialize, Deserializer, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::Bytes;
use sp_runtime::traits::Block as BlockT;

pub use pallet_services_runtime_api::ServicesApi as ServicesRuntimeApi;

/// A currency amount given as a parameter: a decimal string (`"1500000000000"`), a `0x`-hex
/// string (how @polkadot/api sends a `u128` above 2^52) or a JSON number (exact only up to
/// 2^53).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Amount(pub u128);

impl<'de> Deserialize<'de> for Amount {
	fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
		struct Visitor;
		impl serde::de::Visitor<'_> for Visitor {
			type Value = Amount;

			fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
				f.write_str(
					"a non-negative integer amount as a decimal or 0x-hex string or a number",
				)
			}

			fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Amount, E> {
				Ok(Amount(v.into()))
			}

			fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Amount, E> {
				Ok(Amount(v))
			}

			fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Amount, E> {
				u128::try_from(v).map(Amount).map_err(|_| E::custom("the amount is negative"))
			}

			fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Amount, E> {
				if let Some(hex) = v.strip_prefix("0x") {
					let digits = hex.trim_start_matches('0');
					if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
						return Err(E::custom(format!("{v:?} is not a hex amount")));
					}
					if digits.is_empty() {
						return Ok(Amount(0));
					}
					return u128::from_str_radix(digits, 16)
						.map(Amount)
						.map_err(|_| E::custom(format!("{v} does not fit a u128")));
				}
				if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
					return Err(E::custom(format!("{v:?} is not a decimal amount")));
				}
				v.parse::<u128>()
					.map(Amount)
					.map_err(|_| E::custom(format!("{v} does not fit a u128")))
			}
		}
		deserializer.deserialize_any(Visitor)
	}
}

/// A quote as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuoteJson<AccountId> {
	/// The provider negotiation would pick.
	pub provider: AccountId,
	/// Its rate per volume unit.
	pub rate: String,
	/// The fee the consumer would pay: rate × volume.
	pub fee: String,
	/// How many offers are within the maximum rate (fitting the volume or not).
	pub within_rate: u32,
}

impl<A, B: Display> From<Quote<A, B>> for QuoteJson<A> {
	fn from(q: Quote<A, B>) -> Self {
		Self {
			provider: q.provider,
			rate: q.rate.to_string(),
			fee: q.fee.to_string(),
			within_rate: q.within_rate,
		}
	}
}

/// An offer as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferJson<AccountId> {
	/// The provider.
	pub provider: AccountId,
	/// The offer's id within its type.
	pub id: OfferId,
	/// Capacity, in volume units.
	pub capacity: Volume,
	/// Capacity used by active instances.
	pub used: Volume,
	/// Rate per volume unit.
	pub rate: String,
	/// Where consumers reach the provider off chain (bytes, `0x`-hex).
	pub endpoint: Bytes,
	/// The availability stake: REP bonded for the offer, outside evaluation pools.
	pub stake: String,
	/// The part of the stake backing assigned instances.
	pub committed: String,
	/// Active instances.
	pub active: u32,
}

impl<A, B: Display> From<OfferInfo<A, B>> for OfferJson<A> {
	fn from(o: OfferInfo<A, B>) -> Self {
		Self {
			provider: o.provider,
			id: o.id,
			capacity: o.capacity,
			used: o.used,
			rate: o.rate.to_string(),
			endpoint: o.endpoint.into(),
			stake: o.stake.to_string(),
			committed: o.committed.to_string(),
			active: o.active,
		}
	}
}

/// An instance's status as JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StatusJson {
	/// Negotiated; the provider works until the deadline.
	Assigned,
	/// The result was submitted; a panel pool judges the evidence.
	Evaluating,
	/// Passed: the provider and the service author were paid.
	Completed,
	/// Rejected by the pool: the consumer was refunded.
	Failed,
	/// No quorum: the consumer was refunded, the provider not slashed.
	Unjudged,
	/// The deadline was missed: the consumer was refunded, the backing slashed.
	Cancelled,
	/// The provider declined it in the first half of its time: the consumer was refunded,
	/// nothing slashed.
	Declined,
}

/// An instance as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceJson<AccountId, BlockNumber, Hash> {
	/// The service type.
	pub service_type: ServiceTypeId,
	/// Who requested it and paid the fee.
	pub consumer: AccountId,
	/// The provider negotiation picked.
	pub provider: AccountId,
	/// The hash of the consumer's definition.
	pub definition: Hash,
	/// The reference to the off-chain payload (bytes, `0x`-hex).
	pub payload: Bytes,
	/// The volume.
	pub volume: Volume,
	/// The provider's rate when negotiated.
	pub rate: String,
	/// The fee: rate × volume.
	pub fee: String,
	/// The REP of the provider's availability stake backing it.
	pub backing: String,
	/// The block it was requested in.
	pub requested_at: BlockNumber,
	/// The provider must submit its result before this block.
	pub deadline: BlockNumber,
	/// Its status.
	pub status: StatusJson,
	/// The evaluation pool, once the result is submitted and until the pool settles.
	pub pool: Option<u64>,
	/// The evidence post, while evaluating.
	pub post: Option<u64>,
	/// The provider's commitment to its result, while evaluating.
	pub result: Option<Hash>,
}

impl<A, B: Display, N, H> From<InstanceInfo<A, B, N, H>> for InstanceJson<A, N, H> {
	fn from(i: InstanceInfo<A, B, N, H>) -> Self {
		let (status, pool, post, result) = match i.status {
			InstanceStatus::Assigned => (StatusJson::Assigned, None, None, None),
			InstanceStatus::Evaluating { pool, post, result } => {
				(StatusJson::Evaluating, Some(pool), Some(post), Some(result))
			},
			InstanceStatus::Completed => (StatusJson::Completed, None, None, None),
			InstanceStatus::Failed => (StatusJson::Failed, None, None, None),
			InstanceStatus::Unjudged => (StatusJson::Unjudged, None, None, None),
			InstanceStatus::Cancelled => (StatusJson::Cancelled, None, None, None),
			InstanceStatus::Declined => (StatusJson::Declined, None, None, None),
		};
		Self {
			service_type: i.service_type,
			consumer: i.consumer,
			provider: i.provider,
			definition: i.definition,
			payload: i.payload.into(),
			volume: i.volume,
			rate: i.rate.to_string(),
			fee: i.fee.to_string(),
			backing: i.backing.to_string(),
			requested_at: i.requested_at,
			deadline: i.deadline,
			status,
			pool,
			post,
			result,
		}
	}
}

/// The services JSON-RPC interface.
///
/// `Balance` is the chain currency's balance type (rates and fees), shown as decimal strings.
#[rpc(client, server)]
pub trait ServicesApi<BlockHash, AccountId, Balance, BlockNumber, Hash> {
	/// A dry run of negotiation at block `at` (default: best) for `volume` units of
	/// `service_type` at up to `max_rate` per unit; `definition` (default: the zero hash) seeds
	/// the weighted pick.
	#[method(name = "services_quote")]
	fn quote(
		&self,
		service_type: ServiceTypeId,
		volume: Volume,
		max_rate: Amount,
		definition: Option<Hash>,
		at: Option<BlockHash>,
	) -> RpcResult<QuoteJson<AccountId>>;

	/// The offers of `service_type` at block `at` (default: best).
	#[method(name = "services_offers")]
	fn offers(
		&self,
		service_type: ServiceTypeId,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<OfferJson<AccountId>>>;

	/// Instance `id` at block `at` (default: best), or `null`.
	#[method(name = "services_instance")]
	fn instance(
		&self,
		id: InstanceId,
		at: Option<BlockHash>,
	) -> RpcResult<Option<InstanceJson<AccountId, BlockNumber, Hash>>>;
}

/// Serves [`ServicesApiServer`] from a client's runtime API.
pub struct Services<C, B> {
	client: Arc<C>,
	_block: PhantomData<B>,
}

impl<C, B> Services<C, B> {
	/// The RPC handler over `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _block: PhantomData }
	}
}

/// The error code of a failed runtime call.
pub const RUNTIME_ERROR: i32 = 1;
/// The error code of a quote with no provider; the error's data names the reason.
pub const NO_QUOTE: i32 = 2;
/// The error code of a parameter the runtime cannot represent (`maxRate` above the balance
/// type).
pub const INVALID_PARAMS: i32 = 3;

fn runtime_error(e: impl ToString) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, "Services runtime call failed", Some(e.to_string()))
}

/// The reason of a failed quote as the error's data (camelCase) and its message.
pub fn quote_error_reason(e: QuoteError) -> (&'static str, &'static str) {
	match e {
		QuoteError::UnknownServiceType => ("unknownServiceType", "no quote: unknown service type"),
		QuoteError::ZeroVolume => ("zeroVolume", "no quote: the volume must be more than zero"),
		QuoteError::NoOffers => ("noOffers", "no quote: the service type has no offers"),
		QuoteError::NoProviderWithinRate => (
			"noProviderWithinRate",
			"no quote: no provider within the rate (every offer's rate is above maxRate)",
		),
		QuoteError::NoProviderWithCapacity => (
			"noProviderWithCapacity",
			"no quote: no provider with the capacity (the offers within maxRate lack free \
			 capacity for the volume)",
		),
		QuoteError::FeeOverflow => ("feeOverflow", "no quote: rate × volume overflows"),
	}
}

fn quote_error(e: QuoteError) -> ErrorObjectOwned {
	let (reason, message) = quote_error_reason(e);
	ErrorObject::owned(NO_QUOTE, message, Some(reason))
}

impl<C, Block, AccountId, Balance, BlockNumber, Hash>
	ServicesApiServer<Block::Hash, AccountId, Balance, BlockNumber, Hash> for Services<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: ServicesRuntimeApi<Block, AccountId, Balance, BlockNumber, Hash>,
	AccountId: Codec + Serialize + Send + Sync + 'static,
	Balance: Codec + Display + TryFrom<u128> + Send + Sync + 'static,
	BlockNumber: Codec + Serialize + Send + Sync + 'static,
	Hash: Codec + Default + Serialize + From<Block::Hash> + Send + Sync + 'static,
{
	fn quote(
		&self,
		service_type: ServiceTypeId,
		volume: Volume,
		max_rate: Amount,
		definition: Option<Hash>,
		at: Option<Block::Hash>,
	) -> RpcResult<QuoteJson<AccountId>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let max_rate = Balance::try_from(max_rate.0).map_err(|_| {
			ErrorObject::owned(
				INVALID_PARAMS,
				"maxRate does not fit the balance type",
				Some(max_rate.0.to_string()),
			)
		})?;
		let quote = self
			.client
			.runtime_api()
			.quote(
				at,
				service_type,
				volume,
				max_rate,
				definition.unwrap_or_default(),
				Hash::from(at),
			)
			.map_err(runtime_error)?;
		quote.map(Into::into).map_err(quote_error)
	}

	fn offers(
		&self,
		service_type: ServiceTypeId,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<OfferJson<AccountId>>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let offers = self.client.runtime_api().offers(at, service_type).map_err(runtime_error)?;
		Ok(offers.into_iter().map(Into::into).collect())
	}

	fn instance(
		&self,
		id: InstanceId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<InstanceJson<AccountId, BlockNumber, Hash>>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let instance = self.client.runtime_api().instance(at, id).map_err(runtime_error)?;
		Ok(instance.map(Into::into))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn amounts_parse_from_strings_and_numbers() {
		let from_str: Amount =
			serde_json::from_str("\"340282366920938463463374607431768211455\"").unwrap();
		assert_eq!(from_str, Amount(u128::MAX));
		assert_eq!(serde_json::from_str::<Amount>("1500").unwrap(), Amount(1500));
		assert!(serde_json::from_str::<Amount>("-1").is_err());
		assert!(serde_json::from_str::<Amount>("\"1.5\"").is_err());
		assert!(serde_json::from_str::<Amount>("\"\"").is_err());
		assert_eq!(
			serde_json::from_str::<Amount>("\"0x000000000000000000000574fbde6000\"").unwrap(),
			Amount(6_000_000_000_000)
		);
		assert_eq!(serde_json::from_str::<Amount>("\"0x0\"").unwrap(), Amount(0));
		assert!(serde_json::from_str::<Amount>("\"0x\"").is_err());
		assert!(serde_json::from_str::<Amount>("\"0x1g\"").is_err());
		assert!(
			serde_json::from_str::<Amount>("\"340282366920938463463374607431768211456\"").is_err()
		);
	}

	#[test]
	fn instance_json_flattens_the_status_and_prints_amounts_as_strings() {
		let info = InstanceInfo {
			service_type: 2,
			consumer: 7u64,
			provider: 8u64,
			definition: 9u64,
			payload: b"ipfs://x".to_vec(),
			volume: 10,
			rate: u128::MAX,
			fee: 40u128,
			backing: 5,
			requested_at: 3u32,
			deadline: 9u32,
			status: InstanceStatus::Evaluating { pool: 4, post: 6, result: 11u64 },
		};
		let json = serde_json::to_value(InstanceJson::from(info)).unwrap();
		assert_eq!(json["serviceType"], 2);
		assert_eq!(json["rate"], u128::MAX.to_string());
		assert_eq!(json["fee"], "40");
		assert_eq!(json["backing"], "5");
		assert_eq!(json["payload"], "0x697066733a2f2f78");
		assert_eq!(json["requestedAt"], 3);
		assert_eq!(json["status"], "evaluating");
		assert_eq!(json["pool"], 4);
		assert_eq!(json["post"], 6);
		assert_eq!(json["result"], 11);
	}

	#[test]
	fn quote_errors_name_the_reason() {
		let e = quote_error(QuoteError::NoProviderWithCapacity);
		assert_eq!(e.code(), NO_QUOTE);
		assert!(e.message().contains("capacity"));
		assert_eq!(e.data().unwrap().get(), "\"noProviderWithCapacity\"");
		let e = quote_error(QuoteError::NoProviderWithinRate);
		assert!(e.message().contains("rate"));
		assert_eq!(e.data().unwrap().get(), "\"noProviderWithinRate\"");
	}

	#[test]
	fn offer_json_has_hex_endpoint_and_string_amounts() {
		let info = OfferInfo {
			provider: 1u64,
			id: 0,
			capacity: 100,
			used: 10,
			rate: 4u128,
			endpoint: b"wss://p".to_vec(),
			stake: 1_000,
			committed: 100,
			active: 1,
		};
		let json = serde_json::to_value(OfferJson::from(info)).unwrap();
		assert_eq!(json["rate"], "4");
		assert_eq!(json["stake"], "1000");
		assert_eq!(json["committed"], "100");
		assert_eq!(json["endpoint"], "0x7773733a2f2f70");
	}
}
