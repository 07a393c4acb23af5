//! Runtime API of the service market (`pallet-services`), served over JSON-RPC by
//! `pallet-services-rpc`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use gpow_primitives_services::{
	InstanceId, InstanceInfo, InstanceStatus, OfferId, OfferInfo, Quote, QuoteError, ServiceTypeId,
	Volume,
};

sp_api::decl_runtime_apis! {
	/// Reads of the service market.
	pub trait ServicesApi<AccountId, Balance, BlockNumber, Hash> where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
		Hash: Codec,
	{
		/// A dry run of negotiation: the provider a request of `volume` units of `service_type`
		/// at up to `max_rate` per unit, with the definition hash `definition`, would get as the
		/// next instance in the block after `best` (the hash of the block this is called at), its
		/// rate and the fee; or why no provider fits.
		fn quote(
			service_type: ServiceTypeId,
			volume: Volume,
			max_rate: Balance,
			definition: Hash,
			best: Hash,
		) -> Result<Quote<AccountId, Balance>, QuoteError>;
		/// The offers of `service_type` (empty for an unknown type).
		fn offers(service_type: ServiceTypeId) -> Vec<OfferInfo<AccountId, Balance>>;
		/// Instance `id` with its status, if it exists (until its consumer closes it).
		fn instance(id: InstanceId) -> Option<InstanceInfo<AccountId, Balance, BlockNumber, Hash>>;
	}
}
