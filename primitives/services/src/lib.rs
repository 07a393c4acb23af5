//! # GPoW service-market primitives
//!
//! Types of the service market (`pallet-services`) shared by the pallet, its runtime API, its
//! JSON-RPC and off-chain clients.
//!
//! ## Terms
//!
//! - **Service type** ([`ServiceTypeId`]): a kind of service registered by governance, with a
//!   definition schema, a volume unit and evaluation settings.
//! - **Offer**: a provider's standing offer for a type: capacity (in volume units), rate (per
//!   volume unit), an endpoint for the off-chain channel and an availability stake of REP.
//! - **Instance** ([`InstanceId`]): one negotiated job: a consumer's definition and volume, the
//!   provider negotiation picked, the fee `F = rate × volume` held in escrow, and its
//!   [`InstanceStatus`].
//! - **Quote** ([`Quote`]): a dry run of negotiation.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use gpow_primitives_reputation::{PoolId, PostId, Rep};
use scale_info::TypeInfo;

/// The id of a service type; ids grow by one from 0.
pub type ServiceTypeId = u32;

/// The id of an offer within its service type; ids grow by one from 0.
pub type OfferId = u32;

/// The id of a service instance; ids grow by one from 0.
pub type InstanceId = u64;

/// An amount of service, in the service type's volume unit.
pub type Volume = u64;

/// Why negotiation found no provider.
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
)]
pub enum NoFit {
	/// The service type has no offers.
	NoOffers,
	/// Every offer's rate is above the maximum rate.
	Rate,
	/// Some offers are within the rate, but none has enough free capacity for the volume.
	Capacity,
}

/// Where an instance is in its life.
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
)]
pub enum InstanceStatus<Hash> {
	/// Negotiated: the fee is in escrow and the provider works until the deadline.
	Assigned,
	/// The provider submitted its result; a panel pool judges the evidence post.
	Evaluating {
		/// The pool judging it.
		pool: PoolId,
		/// The evidence post.
		post: PostId,
		/// The provider's commitment to its result.
		result: Hash,
	},
	/// The pool passed the evidence: the provider and the service author were paid.
	Completed,
	/// The pool rejected the evidence: the consumer was refunded.
	Failed,
	/// The pool reached no quorum: the consumer was refunded, the provider not slashed.
	Unjudged,
	/// The provider missed the deadline: the consumer cancelled, was refunded, and the
	/// provider's backing was slashed.
	Cancelled,
	/// The provider declined it in the first half of its time (the consumer never delivered,
	/// or the provider cannot serve it): the consumer was refunded, nothing was slashed.
	Declined,
}

impl<Hash> InstanceStatus<Hash> {
	/// Whether the instance is still active (its fee in escrow, its volume in use).
	pub fn is_active(&self) -> bool {
		matches!(self, Self::Assigned | Self::Evaluating { .. })
	}
}

/// The first block in which the provider of an instance requested in block `requested_at`, with
/// its result due before `deadline`, may no longer decline it: the middle of its time. The
/// consumer delivers the work before then; the provider declines what did not come.
pub fn decline_until<B: sp_runtime::traits::AtLeast32BitUnsigned + Copy>(
	requested_at: B,
	deadline: B,
) -> B {
	requested_at.saturating_add(deadline.saturating_sub(requested_at) / 2u32.into())
}

/// The outcome of a dry run of negotiation.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct Quote<AccountId, Balance> {
	/// The provider negotiation would pick now.
	pub provider: AccountId,
	/// Its rate per volume unit.
	pub rate: Balance,
	/// The fee the consumer would pay: rate × volume.
	pub fee: Balance,
	/// How many offers are within the maximum rate (fitting the volume or not).
	pub within_rate: u32,
}

/// Why a quote has no provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum QuoteError {
	/// There is no such service type.
	UnknownServiceType,
	/// The volume is zero.
	ZeroVolume,
	/// The type has no offers.
	NoOffers,
	/// Every offer's rate is above the maximum.
	NoProviderWithinRate,
	/// The offers within the rate lack free capacity for the volume.
	NoProviderWithCapacity,
	/// `rate × volume` overflows.
	FeeOverflow,
}

/// An offer, as the runtime API reports it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct OfferInfo<AccountId, Balance> {
	/// The provider.
	pub provider: AccountId,
	/// The offer's id within its type.
	pub id: OfferId,
	/// Capacity, in volume units.
	pub capacity: Volume,
	/// Capacity used by active instances.
	pub used: Volume,
	/// Rate per volume unit.
	pub rate: Balance,
	/// Where consumers reach the provider off chain.
	pub endpoint: Vec<u8>,
	/// The availability stake (REP bonded for this offer, outside evaluation pools).
	pub stake: Rep,
	/// The part of the stake backing active instances.
	pub committed: Rep,
	/// How many instances are active.
	pub active: u32,
}

/// An instance, as the runtime API reports it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct InstanceInfo<AccountId, Balance, BlockNumber, Hash> {
	/// The service type.
	pub service_type: ServiceTypeId,
	/// Who requested it and paid the fee.
	pub consumer: AccountId,
	/// The provider negotiation picked.
	pub provider: AccountId,
	/// The hash of the consumer's definition.
	pub definition: Hash,
	/// The reference to the SSK-encrypted off-chain payload.
	pub payload: Vec<u8>,
	/// The volume.
	pub volume: Volume,
	/// The provider's rate when negotiated.
	pub rate: Balance,
	/// The fee in escrow: rate × volume.
	pub fee: Balance,
	/// The REP of the provider's availability stake backing it.
	pub backing: Rep,
	/// The block it was requested in.
	pub requested_at: BlockNumber,
	/// The block by which the provider must submit its result (exclusive).
	pub deadline: BlockNumber,
	/// Its status.
	pub status: InstanceStatus<Hash>,
}
