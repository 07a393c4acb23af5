//! # Services pallet
//!
//! The chain's service market. Any service is processed without dispute once its
//! **D**efinition, **N**egotiation, **E**valuation and **C**ompensation reach consensus (seed
//! 001, section 2); the experts' note (seed 003) adds availability stakes and evidence posts
//! that a validation pool ratifies.
//!
//! ## Overview
//!
//! - **Definition.** Governance ([`Config::TypeOrigin`]: the `parameters` track, or Root) registers *service
//!   types* with [`Pallet::register_type`]: a name, the hash of the schema instance definitions
//!   follow, a volume unit and [`Terms`]: the evaluation panel's size `m`, the reputation
//!   parameter set its pool runs with, the result deadline in blocks, the service author and
//!   their share of each fee, the validators' share, and the minimum availability stake.
//! - **Offers.** A provider offers a type with [`Pallet::offer`]: capacity (volume units), a
//!   rate per unit, an endpoint for the off-chain channel and an availability stake of REP,
//!   which is bonded (set aside) in the reputation pallet. [`Pallet::update_offer`] changes
//!   capacity (never below what is in use), rate and stake; [`Pallet::withdraw_offer`] ends an
//!   offer with no active instance and unbonds its stake.
//! - **Negotiation.** A consumer calls [`Pallet::request`] with a definition hash, a reference
//!   to its SSK-encrypted payload, a volume and a maximum rate, optionally naming a provider.
//!   Negotiation drops offers whose free capacity (capacity minus the volumes of their active
//!   instances) is below the volume or whose rate is above the maximum, and picks one
//!   pseudo-randomly, weighted by availability stake, from a seed of the definition, the
//!   parent block hash and the instance id (or takes the named provider if its offer fits). It
//!   reads a fixed number of nodes of the type's offer index (see [`market`]) whatever the
//!   number of offers. The fee `F = rate × volume` is held in escrow on the consumer's account,
//!   and the instance is backed by `stake × volume / capacity` of the offer's stake.
//! - **Evaluation.** Before the deadline the provider calls [`Pallet::submit_result`] with a
//!   commitment to its result and the hash of its evidence. The pallet posts the evidence to
//!   the forum (authored by the provider) and opens a panel pool on it, paid by the provider
//!   (the validators' share of `F`, at least the parameter set's minimum fee) and backed by the
//!   instance's share of the availability stake: the panel, drawn by REP among everyone but the
//!   provider and the consumer, judges the work.
//! - **Compensation**, when the pool settles (anyone may settle it in the reputation pallet):
//!   *passed* pays `F` minus the author's share to the provider and the author's share to the
//!   service author (the provider paid the validators' share when it opened the pool), and
//!   the pool mints REP for the evidence post; *failed* refunds `F` to the consumer and the
//!   pool forfeits the backing (the parameter set's binding); *no quorum* refunds the consumer
//!   without a slash. A consumer may [`Pallet::cancel`] an instance whose provider missed the
//!   deadline: `F` is refunded and the backing slashed (burned). A provider may
//!   [`Pallet::decline`] an assigned instance in the first half of its time (see
//!   [`decline_until`]): `F` is refunded and nothing is slashed. The work travels off chain, so
//!   only the provider knows whether the consumer delivered it; without this, a consumer that
//!   never delivers could cancel at the deadline and burn the provider's backing. Capacity is
//!   released in every case; what the pool returns of the backing goes back to the offer's
//!   stake.
//!
//! Finished instances stay readable until the consumer removes them with
//! [`Pallet::close_instance`], which releases the record's deposit.
//!
//! ## Terms
//!
//! - **Free capacity**: an offer's capacity minus the volumes of its active instances; 0 while
//!   its stake is below the type's minimum, so it cannot be picked.
//! - **Active instance**: assigned or being evaluated; its fee is in escrow.
//! - **Backing**: the REP of an offer's stake standing behind one instance.
//!
//! ## Example
//!
//! ```ignore
//! // Root registers a type; a provider offers it; a consumer requests 10 units at up to 5.
//! Services::register_type(RuntimeOrigin::root(), name, schema, unit, terms)?;
//! Services::offer(RuntimeOrigin::signed(provider), 0, 100, 4, endpoint, 1_000)?;
//! Services::request(RuntimeOrigin::signed(consumer), 0, definition, payload, 10, 5, None)?;
//! // The provider delivers off chain, then:
//! Services::submit_result(RuntimeOrigin::signed(provider), 0, result_hash, evidence_hash)?;
//! // The panel stakes in the pool; once it settles, the provider is paid 40 minus shares.
//! ```

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use gpow_primitives_services::{
	decline_until, InstanceId, InstanceStatus, NoFit, OfferId, QuoteError, ServiceTypeId, Volume,
};
pub use pallet::*;
pub use types::{InstanceRecord, OfferRecord, ServiceTypeRecord, Terms};
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod instances;
pub mod market;
#[cfg(test)]
mod mock;
mod offers;
#[cfg(test)]
mod tests;
mod try_state;
mod types;
pub mod weights;

use alloc::vec::Vec;
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{self, MutateHold},
		Consideration, Footprint,
	},
};
use frame_system::pallet_prelude::*;
use gpow_primitives_reputation::{AvailabilityBonds, Forum, PoolId, Rep, ValidationPools};
use scale_info::TypeInfo;

/// The balance type of the fee currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// A service type's terms in the runtime's types.
pub type TermsOf<T> = Terms<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
/// A stored service type.
pub type ServiceTypeOf<T> = ServiceTypeRecord<
	<T as frame_system::Config>::AccountId,
	BlockNumberFor<T>,
	<T as frame_system::Config>::Hash,
	<T as Config>::MaxNameLen,
>;
/// A stored offer.
pub type OfferOf<T> =
	OfferRecord<BalanceOf<T>, <T as Config>::OfferConsideration, <T as Config>::MaxEndpointLen>;
/// A stored instance.
pub type InstanceOf<T> = InstanceRecord<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as frame_system::Config>::Hash,
	<T as Config>::InstanceConsideration,
	<T as Config>::MaxPayloadLen,
>;

/// An instance as the runtime API reports it, in the runtime's types.
pub type InstanceInfoOf<T> = gpow_primitives_services::InstanceInfo<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as frame_system::Config>::Hash,
>;

/// Sets up what the benchmarks need that other pallets own.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Gives `who` `amount` free REP.
	fn endow_rep(who: &AccountId, amount: Rep);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the services pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The chain currency: fees are held in escrow and paid in it.
		type Currency: fungible::Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The reputation layer: the forum for evidence posts, panel pools for evaluation and
		/// bonds for availability stakes.
		type Reputation: ValidationPools<Self::AccountId, BalanceOf<Self>>
			+ Forum<Self::AccountId, Self::Hash>
			+ AvailabilityBonds<Self::AccountId>;

		/// The origin that registers service types and changes their terms (the runtime: Root or
		/// the governance `parameters` track).
		type TypeOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The deposit held for a stored offer, by its encoded size.
		type OfferConsideration: Consideration<Self::AccountId, Footprint>;

		/// The deposit held for a stored instance, by its encoded size.
		type InstanceConsideration: Consideration<Self::AccountId, Footprint>;

		/// The longest service-type name and volume-unit name, in bytes.
		#[pallet::constant]
		type MaxNameLen: Get<u32>;

		/// The longest offer endpoint, in bytes.
		#[pallet::constant]
		type MaxEndpointLen: Get<u32>;

		/// The longest payload reference of an instance, in bytes.
		#[pallet::constant]
		type MaxPayloadLen: Get<u32>;

		/// The largest evaluation panel a type may ask for.
		#[pallet::constant]
		type MaxPanelSize: Get<u32>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;

		/// Sets up the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The fees of a consumer's active instances.
		Escrow,
		/// The deposit of an offer.
		OfferDeposit,
		/// The deposit of an instance record.
		InstanceDeposit,
	}

	/// The id of the next service type.
	#[pallet::storage]
	pub type NextTypeId<T: Config> = StorageValue<_, ServiceTypeId, ValueQuery>;

	/// The registered service types.
	#[pallet::storage]
	pub type ServiceTypes<T: Config> = StorageMap<_, Twox64Concat, ServiceTypeId, ServiceTypeOf<T>>;

	/// Each provider's offer per service type.
	#[pallet::storage]
	pub type Offers<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ServiceTypeId,
		Blake2_128Concat,
		T::AccountId,
		OfferOf<T>,
	>;

	/// The provider of each offer id.
	#[pallet::storage]
	pub type OfferProviders<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ServiceTypeId, Twox64Concat, OfferId, T::AccountId>;

	/// Each type's offer index (see [`market`]): node `(depth, prefix)` holds the summaries of
	/// its 16 children.
	#[pallet::storage]
	pub type OfferIndex<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ServiceTypeId,
		Blake2_128Concat,
		market::NodeKey,
		market::Node,
		ValueQuery,
	>;

	/// The id of the next instance.
	#[pallet::storage]
	pub type NextInstanceId<T: Config> = StorageValue<_, InstanceId, ValueQuery>;

	/// The instances, until their consumer closes them.
	#[pallet::storage]
	pub type Instances<T: Config> = StorageMap<_, Twox64Concat, InstanceId, InstanceOf<T>>;

	/// The instance each evaluation pool judges, until it settles.
	#[pallet::storage]
	pub type PoolInstances<T: Config> = StorageMap<_, Twox64Concat, PoolId, InstanceId>;

	/// The sum of the fees of all active instances (all of it held in escrow).
	#[pallet::storage]
	pub type TotalEscrow<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Events of the services pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A service type was registered.
		TypeRegistered {
			/// Its id.
			service_type: ServiceTypeId,
			/// Its name.
			name: Vec<u8>,
		},
		/// A service type's terms changed.
		TermsChanged {
			/// The type.
			service_type: ServiceTypeId,
		},
		/// A provider offered a service type, or changed its offer.
		Offered {
			/// The type.
			service_type: ServiceTypeId,
			/// The provider.
			provider: T::AccountId,
			/// The offer's id.
			offer: OfferId,
			/// Capacity.
			capacity: Volume,
			/// Rate per volume unit.
			rate: BalanceOf<T>,
			/// Availability stake.
			stake: Rep,
		},
		/// A provider withdrew its offer.
		OfferWithdrawn {
			/// The type.
			service_type: ServiceTypeId,
			/// The provider.
			provider: T::AccountId,
		},
		/// Negotiation assigned an instance; its fee is in escrow.
		Requested {
			/// The instance.
			instance: InstanceId,
			/// The type.
			service_type: ServiceTypeId,
			/// The consumer.
			consumer: T::AccountId,
			/// The provider picked.
			provider: T::AccountId,
			/// The volume.
			volume: Volume,
			/// The fee held: rate × volume.
			fee: BalanceOf<T>,
			/// The result deadline (exclusive).
			deadline: BlockNumberFor<T>,
		},
		/// The provider submitted its result; a panel pool judges the evidence.
		ResultSubmitted {
			/// The instance.
			instance: InstanceId,
			/// The commitment to the result.
			result: T::Hash,
			/// The evidence post.
			post: u64,
			/// The pool.
			pool: PoolId,
			/// The pool's fee, paid by the provider.
			evaluation_fee: BalanceOf<T>,
		},
		/// The evaluation passed: the provider and the service author were paid.
		Paid {
			/// The instance.
			instance: InstanceId,
			/// Paid to the provider.
			provider_amount: BalanceOf<T>,
			/// Paid to the service author.
			author_amount: BalanceOf<T>,
		},
		/// The consumer got its fee back.
		Refunded {
			/// The instance.
			instance: InstanceId,
			/// The amount.
			amount: BalanceOf<T>,
			/// Its new status (failed, unjudged, cancelled or declined).
			status: InstanceStatus<T::Hash>,
		},
		/// Part of a provider's availability stake was slashed for a missed deadline.
		Slashed {
			/// The instance.
			instance: InstanceId,
			/// The provider.
			provider: T::AccountId,
			/// REP burned.
			amount: Rep,
		},
		/// A finished instance was removed.
		InstanceClosed {
			/// The instance.
			instance: InstanceId,
		},
	}

	/// Errors of the services pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// There is no such service type.
		UnknownServiceType,
		/// The author's and validators' shares add up to more than 100%.
		SharesExceedWhole,
		/// The panel size is 0 or above `MaxPanelSize`.
		InvalidPanelSize,
		/// The deadline is zero blocks.
		ZeroDeadline,
		/// The reputation pallet has no parameter set with this name.
		UnknownParameterSet,
		/// Service-type, offer or instance ids are exhausted.
		IdsExhausted,
		/// The provider already offers this type (change it with `update_offer`).
		AlreadyOffering,
		/// The account has no offer for this type.
		NoOffer,
		/// Capacity must be more than zero.
		ZeroCapacity,
		/// The availability stake is below the type's minimum.
		StakeBelowMinimum,
		/// The rate is above `u64::MAX`.
		RateTooHigh,
		/// The capacity is below the volume of active instances.
		CapacityInUse,
		/// The stake is below what backs active instances.
		StakeCommitted,
		/// The offer has active instances.
		OfferActive,
		/// The volume must be more than zero.
		ZeroVolume,
		/// The type has no offers.
		NoOffers,
		/// No provider fits: every offer's rate is above the maximum.
		NoProviderWithinRate,
		/// No provider fits: the offers within the rate lack free capacity for the volume.
		NoProviderWithCapacity,
		/// The named provider does not offer this type.
		ProviderNotOffering,
		/// The named provider's rate is above the maximum.
		ProviderRateTooHigh,
		/// The named provider lacks free capacity for the volume (or its stake is below the
		/// minimum).
		ProviderLacksCapacity,
		/// `rate × volume` overflows.
		FeeOverflow,
		/// The consumer cannot pay the fee and keep its account.
		InsufficientBalance,
		/// There is no such instance.
		UnknownInstance,
		/// Only the instance's provider may do this.
		NotProvider,
		/// Only the instance's consumer may do this.
		NotConsumer,
		/// The instance is not waiting for its result.
		NotAssigned,
		/// The result deadline has passed.
		DeadlinePassed,
		/// The result deadline has not passed yet.
		DeadlineNotReached,
		/// The instance is still active.
		InstanceActive,
		/// The instance may be declined only in the first half of its time to the deadline.
		DeclineWindowClosed,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxPanelSize::get() >= 1, "MaxPanelSize must be at least 1");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers a service type (the [`Config::TypeOrigin`]).
		///
		/// Errors: `SharesExceedWhole`, `InvalidPanelSize`, `ZeroDeadline`,
		/// `UnknownParameterSet`, `IdsExhausted`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_type())]
		pub fn register_type(
			origin: OriginFor<T>,
			name: BoundedVec<u8, T::MaxNameLen>,
			schema: T::Hash,
			unit: BoundedVec<u8, T::MaxNameLen>,
			terms: TermsOf<T>,
		) -> DispatchResult {
			T::TypeOrigin::ensure_origin(origin)?;
			Self::do_register_type(name, schema, unit, terms)
		}

		/// Changes a service type's terms (the [`Config::TypeOrigin`]). Active instances keep
		/// the backing and deadline they were negotiated with; their evaluation uses the new
		/// panel size, parameter set and shares. A new minimum stake applies to each offer when
		/// it next changes (an offer, a request, a result or an outcome), so no call walks all
		/// offers.
		///
		/// Errors: `UnknownServiceType` and those of [`Pallet::register_type`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_terms())]
		pub fn set_terms(
			origin: OriginFor<T>,
			service_type: ServiceTypeId,
			terms: TermsOf<T>,
		) -> DispatchResult {
			T::TypeOrigin::ensure_origin(origin)?;
			Self::do_set_terms(service_type, terms)
		}

		/// Offers `service_type` with `capacity` units at `rate` per unit, reachable at
		/// `endpoint`, bonding `stake` REP as the availability stake. Holds the offer's
		/// deposit.
		///
		/// Errors: `UnknownServiceType`, `AlreadyOffering`, `ZeroCapacity`, `RateTooHigh`,
		/// `StakeBelowMinimum`, `InsufficientRep` (reputation), `IdsExhausted`, and the
		/// deposit's.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::offer())]
		pub fn offer(
			origin: OriginFor<T>,
			service_type: ServiceTypeId,
			capacity: Volume,
			rate: BalanceOf<T>,
			endpoint: BoundedVec<u8, T::MaxEndpointLen>,
			stake: Rep,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_offer(&provider, service_type, capacity, rate, endpoint, stake)
		}

		/// Changes the caller's offer: capacity (not below the volume in use), rate and stake
		/// (not below the type's minimum nor what backs assigned instances; the difference is
		/// bonded or unbonded).
		///
		/// Errors: `NoOffer`, `ZeroCapacity`, `CapacityInUse`, `RateTooHigh`,
		/// `StakeBelowMinimum`, `StakeCommitted`, `InsufficientRep` (reputation).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::update_offer())]
		pub fn update_offer(
			origin: OriginFor<T>,
			service_type: ServiceTypeId,
			capacity: Volume,
			rate: BalanceOf<T>,
			stake: Rep,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_update_offer(&provider, service_type, capacity, rate, stake)
		}

		/// Withdraws the caller's offer: unbonds its stake and releases its deposit.
		///
		/// Errors: `NoOffer`, `OfferActive`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::withdraw_offer())]
		pub fn withdraw_offer(origin: OriginFor<T>, service_type: ServiceTypeId) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_withdraw_offer(&provider, service_type)
		}

		/// Requests an instance of `service_type`: negotiation picks a provider (or takes
		/// `provider` if its offer fits), and `rate × volume` is held in escrow along with the
		/// record's deposit.
		///
		/// Errors: `UnknownServiceType`, `ZeroVolume`, `RateTooHigh`, `NoOffers`,
		/// `NoProviderWithinRate`, `NoProviderWithCapacity`, `ProviderNotOffering`,
		/// `ProviderRateTooHigh`, `ProviderLacksCapacity`, `FeeOverflow`,
		/// `InsufficientBalance`, `IdsExhausted`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::request())]
		pub fn request(
			origin: OriginFor<T>,
			service_type: ServiceTypeId,
			definition: T::Hash,
			payload: BoundedVec<u8, T::MaxPayloadLen>,
			volume: Volume,
			max_rate: BalanceOf<T>,
			provider: Option<T::AccountId>,
		) -> DispatchResult {
			let consumer = ensure_signed(origin)?;
			Self::do_request(
				&consumer,
				service_type,
				definition,
				payload,
				volume,
				max_rate,
				provider,
			)
			.map(|_| ())
		}

		/// Submits the provider's result: posts the evidence to the forum and opens the panel
		/// pool that judges it, paying its fee and backing it with the instance's stake.
		///
		/// Errors: `UnknownInstance`, `NotProvider`, `NotAssigned`, `DeadlinePassed`, and
		/// those of the forum post and the pool (deposit, fee, `NoEligibleMembers`).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::submit_result()
			.saturating_add(<T::Reputation as Forum<_, _>>::add_post_weight(1, 0))
			.saturating_add(<T::Reputation as ValidationPools<_, _>>::open_pool_weight(
				T::MaxPanelSize::get(),
			)))]
		pub fn submit_result(
			origin: OriginFor<T>,
			instance: InstanceId,
			result: T::Hash,
			evidence: T::Hash,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_submit_result(&provider, instance, result, evidence)
		}

		/// Cancels an instance whose provider missed the deadline: refunds the consumer and
		/// slashes the instance's backing.
		///
		/// Errors: `UnknownInstance`, `NotConsumer`, `NotAssigned`, `DeadlineNotReached`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::cancel())]
		pub fn cancel(origin: OriginFor<T>, instance: InstanceId) -> DispatchResult {
			let consumer = ensure_signed(origin)?;
			Self::do_cancel(&consumer, instance)
		}

		/// Removes a finished instance and releases its deposit.
		///
		/// Errors: `UnknownInstance`, `NotConsumer`, `InstanceActive`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::close_instance())]
		pub fn close_instance(origin: OriginFor<T>, instance: InstanceId) -> DispatchResult {
			let consumer = ensure_signed(origin)?;
			Self::do_close_instance(&consumer, instance)
		}

		/// The provider declines an instance it was assigned, before the first half of its
		/// time to the deadline has passed: typically because the consumer never delivered the
		/// work, which the chain cannot see. The consumer is refunded and the backing returns to
		/// the offer, unslashed; the instance ends as `Declined`.
		///
		/// Errors: `UnknownInstance`, `NotProvider`, `NotAssigned`, `DeclineWindowClosed`.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::decline())]
		pub fn decline(origin: OriginFor<T>, instance: InstanceId) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_decline(&provider, instance)
		}
	}
}
