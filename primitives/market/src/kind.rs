//! Which of the two service types a registered type is, and how much volume a definition takes.
//!
//! A service type on chain has a *schema hash* (`pallet_services::ServiceTypeRecord::schema`),
//! chosen by governance when it registers the type. The programs know a type by it: a type
//! whose schema is [`ServiceKind::schema`] of a kind is served, judged and requested with that
//! kind's functions; any other type is not theirs. Governance registers each kind once, with
//! these schemas (`gpow-service register-types` does it on a dev chain).
//!
//! The volume of an instance (what the consumer pays `rate × volume` for and what takes up the
//! provider's capacity) follows from its definition: [`range_volume`] units of
//! [`RANGE_VALUES_PER_UNIT`] values, or [`storage_volume`] chunks. A provider refuses an
//! instance whose volume on chain is below its definition's.

use crate::{range::RangeDefinition, storage::StorageDefinition, Hash};

/// The values of a range-compute definition that one volume unit pays for.
pub const RANGE_VALUES_PER_UNIT: u64 = 1024;

/// The service types the programs implement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ServiceKind {
	/// Range compute ([`crate::range`]).
	Range,
	/// Storage for a time ([`crate::storage`]).
	Storage,
}

impl ServiceKind {
	/// Both kinds.
	pub const ALL: [ServiceKind; 2] = [ServiceKind::Range, ServiceKind::Storage];

	/// The schema name hashed into [`ServiceKind::schema`].
	pub fn schema_name(self) -> &'static str {
		match self {
			ServiceKind::Range => "gpow/market/range/v1",
			ServiceKind::Storage => "gpow/market/storage/v1",
		}
	}

	/// The schema hash a service type of this kind is registered with:
	/// `blake2_256(schema_name)`.
	pub fn schema(self) -> Hash {
		sp_crypto_hashing::blake2_256(self.schema_name().as_bytes())
	}

	/// The kind whose schema hash is `schema`, if any.
	pub fn from_schema(schema: &Hash) -> Option<ServiceKind> {
		Self::ALL.into_iter().find(|kind| &kind.schema() == schema)
	}

	/// The short name used on command lines and in logs: `range` or `storage`.
	pub fn name(self) -> &'static str {
		match self {
			ServiceKind::Range => "range",
			ServiceKind::Storage => "storage",
		}
	}

	/// The kind named `name` ([`ServiceKind::name`]).
	pub fn from_name(name: &str) -> Option<ServiceKind> {
		Self::ALL.into_iter().find(|kind| kind.name() == name)
	}
}

impl core::fmt::Display for ServiceKind {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str(self.name())
	}
}

/// The volume a range definition takes: its values in units of [`RANGE_VALUES_PER_UNIT`],
/// rounded up; `None` for an empty or inverted range.
pub fn range_volume(definition: &RangeDefinition) -> Option<u64> {
	let values = definition.values().ok()?.get();
	Some(values.div_ceil(RANGE_VALUES_PER_UNIT))
}

/// The volume a storage definition takes: one unit per chunk.
pub fn storage_volume(definition: &StorageDefinition) -> u64 {
	u64::from(definition.chunks)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn schemas_are_distinct_and_round_trip() {
		assert_ne!(ServiceKind::Range.schema(), ServiceKind::Storage.schema());
		for kind in ServiceKind::ALL {
			assert_eq!(ServiceKind::from_schema(&kind.schema()), Some(kind));
			assert_eq!(ServiceKind::from_name(kind.name()), Some(kind));
		}
		assert_eq!(ServiceKind::from_schema(&[5; 32]), None);
		assert_eq!(ServiceKind::from_name("compute"), None);
	}

	#[test]
	fn volumes_follow_the_definition() {
		let range = |start, end| RangeDefinition { salt: [0; 32], start, end, target: [0xff; 32] };
		assert_eq!(range_volume(&range(0, 1)), Some(1));
		assert_eq!(range_volume(&range(0, 1024)), Some(1));
		assert_eq!(range_volume(&range(0, 1025)), Some(2));
		assert_eq!(range_volume(&range(10, 10)), None);
		assert_eq!(range_volume(&range(0, u64::MAX)), Some(u64::MAX.div_ceil(1024)));
		let storage =
			StorageDefinition { blob_root: [1; 32], chunk_size: 64, chunks: 9, term_blocks: 5 };
		assert_eq!(storage_volume(&storage), 9);
	}
}
