//! What the pallet stores.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use gpow_primitives_reputation::{ParamSetName, Rep};
use gpow_primitives_services::{InstanceStatus, OfferId, ServiceTypeId, Volume};
use scale_info::TypeInfo;
use sp_runtime::{traits::Get, Perbill};

/// How a service type's instances are evaluated and paid.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct Terms<AccountId, BlockNumber> {
	/// Panel size `m` of the evaluation pool (at least 1).
	pub panel_size: u32,
	/// The reputation parameter set the evaluation pool runs with.
	pub param_set: ParamSetName,
	/// Blocks from a request to the provider's result deadline (at least 1).
	pub deadline: BlockNumber,
	/// The service's author, paid `author_share` of every fee that passes evaluation.
	pub author: AccountId,
	/// The author's share of the fee.
	pub author_share: Perbill,
	/// The validators' share of the fee: the provider pays it as the evaluation pool's fee,
	/// which goes to REP holders. `author_share + validators_share` is at most 100%.
	pub validators_share: Perbill,
	/// The smallest availability stake (REP) an offer of this type must keep to be picked.
	pub min_stake: Rep,
}

/// A registered service type.
#[derive(
	CloneNoBound, DebugNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxName))]
#[codec(mel_bound(AccountId: MaxEncodedLen, BlockNumber: MaxEncodedLen, Hash: MaxEncodedLen))]
pub struct ServiceTypeRecord<AccountId, BlockNumber, Hash, MaxName>
where
	AccountId: Clone + core::fmt::Debug + PartialEq + Eq,
	BlockNumber: Clone + core::fmt::Debug + PartialEq + Eq,
	Hash: Clone + core::fmt::Debug + PartialEq + Eq,
	MaxName: Get<u32>,
{
	/// Its name.
	pub name: BoundedVec<u8, MaxName>,
	/// The hash of the schema instance definitions follow.
	pub schema: Hash,
	/// The name of the volume unit (an hour, a gigabyte, a request).
	pub unit: BoundedVec<u8, MaxName>,
	/// Evaluation and payment terms.
	pub terms: Terms<AccountId, BlockNumber>,
	/// The id the next offer gets.
	pub next_offer: OfferId,
	/// How many offers it has.
	pub offers: u32,
}

/// A provider's offer for a service type.
#[derive(
	CloneNoBound, DebugNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxEndpoint))]
#[codec(mel_bound(Balance: MaxEncodedLen, Ticket: MaxEncodedLen))]
pub struct OfferRecord<Balance, Ticket, MaxEndpoint>
where
	Balance: Clone + core::fmt::Debug + PartialEq + Eq,
	Ticket: Clone + core::fmt::Debug + PartialEq + Eq,
	MaxEndpoint: Get<u32>,
{
	/// Its id within the type: its place in the type's offer index.
	pub id: OfferId,
	/// Capacity in volume units.
	pub capacity: Volume,
	/// The volume of active instances.
	pub used: Volume,
	/// Rate per volume unit (at most `u64::MAX`, the offer index's key width).
	pub rate: Balance,
	/// Where consumers reach the provider off chain.
	pub endpoint: BoundedVec<u8, MaxEndpoint>,
	/// REP bonded for this offer and not in an evaluation pool right now.
	pub stake: Rep,
	/// The part of `stake` backing instances that are assigned and not yet evaluated.
	pub committed: Rep,
	/// How many instances are active.
	pub active: u32,
	/// The deposit held for the record.
	pub ticket: Ticket,
}

/// A service instance.
#[derive(
	CloneNoBound, DebugNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxPayload))]
#[codec(mel_bound(
	AccountId: MaxEncodedLen,
	Balance: MaxEncodedLen,
	BlockNumber: MaxEncodedLen,
	Hash: MaxEncodedLen,
	Ticket: MaxEncodedLen
))]
pub struct InstanceRecord<AccountId, Balance, BlockNumber, Hash, Ticket, MaxPayload>
where
	AccountId: Clone + core::fmt::Debug + PartialEq + Eq,
	Balance: Clone + core::fmt::Debug + PartialEq + Eq,
	BlockNumber: Clone + core::fmt::Debug + PartialEq + Eq,
	Hash: Clone + core::fmt::Debug + PartialEq + Eq,
	Ticket: Clone + core::fmt::Debug + PartialEq + Eq,
	MaxPayload: Get<u32>,
{
	/// The service type.
	pub service_type: ServiceTypeId,
	/// Who requested it; pays the fee and the record's deposit.
	pub consumer: AccountId,
	/// The provider negotiation picked.
	pub provider: AccountId,
	/// The hash of the consumer's definition.
	pub definition: Hash,
	/// A reference to the SSK-encrypted payload, off chain.
	pub payload: BoundedVec<u8, MaxPayload>,
	/// The volume.
	pub volume: Volume,
	/// The provider's rate when negotiated.
	pub rate: Balance,
	/// The fee held in escrow: `rate × volume`.
	pub fee: Balance,
	/// REP of the provider's stake backing this instance.
	pub backing: Rep,
	/// The block it was requested in.
	pub requested_at: BlockNumber,
	/// The provider must submit its result before this block.
	pub deadline: BlockNumber,
	/// Its status.
	pub status: InstanceStatus<Hash>,
	/// The deposit held for the record.
	pub ticket: Ticket,
}
