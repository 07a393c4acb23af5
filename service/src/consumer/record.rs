//! What the store keeps of each requested instance (`instances/<id>.json`): enough to deliver
//! its definition again, to verify its result and, for storage, to decrypt the retrieved file.

use gpow_market::ServiceKind;
use pallet_services::InstanceId;
use serde::{Deserialize, Serialize};

use super::{context::hex, ConsumerError, ConsumerResult};
use crate::store::Store;

/// A requested instance, as the consumer knows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceRecord {
	/// The instance.
	pub instance: InstanceId,
	/// `range` or `storage`.
	pub kind: String,
	/// The service type.
	pub service_type: u32,
	/// The provider, SS58.
	pub provider: String,
	/// The provider's endpoint when requested.
	pub endpoint: String,
	/// The definition frame (`gpow_market::wire`), `0x` hex.
	pub definition: String,
	/// Its hash, the instance's definition hash on chain, `0x` hex.
	pub definition_hash: String,
	/// The volume.
	pub volume: u64,
	/// The fee held in escrow, in the chain's smallest unit.
	pub fee: String,
	/// The result deadline (block).
	pub deadline: u32,
	/// The block the request is in.
	pub requested_block: String,
	/// When the request was in a block, ms since the Unix epoch.
	pub requested_at_ms: u64,
	/// Whether the provider took the delivery.
	pub delivered: bool,
	/// The result commitment, once seen on chain (`0x` hex): it leaves the instance's status
	/// when the pool settles.
	pub result_hash: Option<String>,
	/// The panel pool, once seen on chain.
	pub pool: Option<u64>,
	/// For storage: what decrypts the retrieved blob.
	pub storage: Option<StoredFile>,
}

/// What decrypts a stored file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredFile {
	/// The file's name when requested.
	pub file: String,
	/// The length of the encrypted blob (the chunks pad it).
	pub blob_length: u64,
}

impl InstanceRecord {
	/// The store name of instance `instance`'s record.
	pub fn name(instance: InstanceId) -> String {
		format!("instances/{instance}.json")
	}

	/// The record of `instance`.
	pub fn load(store: &Store, instance: InstanceId) -> ConsumerResult<Self> {
		store
			.get(&Self::name(instance))?
			.ok_or(ConsumerError::UnknownInstance(instance))
	}

	/// Every record in the store, by instance id.
	pub fn all(store: &Store) -> ConsumerResult<Vec<Self>> {
		let mut records = Vec::new();
		for name in store.list("instances")? {
			if let Some(record) = store.get::<Self>(&name)? {
				records.push(record);
			}
		}
		records.sort_by_key(|record| record.instance);
		Ok(records)
	}

	/// Writes the record.
	pub fn save(&self, store: &Store) -> ConsumerResult<()> {
		Ok(store.put(&Self::name(self.instance), self)?)
	}

	/// The kind.
	pub fn kind(&self) -> ConsumerResult<ServiceKind> {
		ServiceKind::from_name(&self.kind).ok_or_else(|| {
			ConsumerError::BadDefinition(format!("unknown kind {:?} in the store", self.kind))
		})
	}

	/// The definition frame.
	pub fn definition_frame(&self) -> ConsumerResult<Vec<u8>> {
		unhex("definition", &self.definition)
	}

	/// Notes the result commitment and pool seen on chain; true if they are new.
	pub fn note_result(&mut self, pool: u64, result: &[u8]) -> bool {
		let result = Some(hex(result));
		let new = self.result_hash != result || self.pool != Some(pool);
		self.result_hash = result;
		self.pool = Some(pool);
		new
	}
}

/// The bytes of `0x` hex `text`; `what` names it in the error.
pub fn unhex(what: &str, text: &str) -> ConsumerResult<Vec<u8>> {
	sp_core::bytes::from_hex(text)
		.map_err(|e| ConsumerError::BadDefinition(format!("the stored {what} is not hex: {e}")))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn records_survive_the_store() {
		let dir = std::env::temp_dir().join(format!("gpow-consumer-record-{}", std::process::id()));
		let _ = std::fs::remove_dir_all(&dir);
		let store = Store::open(&dir).unwrap();
		let mut record = InstanceRecord {
			instance: 12,
			kind: "range".into(),
			service_type: 0,
			provider: "5Grw".into(),
			endpoint: "ws://127.0.0.1:1".into(),
			definition: hex(&[1, 2, 3]),
			definition_hash: hex(&[0; 32]),
			volume: 4,
			fee: "4000".into(),
			deadline: 40,
			requested_block: hex(&[9; 32]),
			requested_at_ms: 1,
			delivered: false,
			result_hash: None,
			pool: None,
			storage: None,
		};
		record.save(&store).unwrap();
		assert!(record.note_result(3, &[7; 32]));
		assert!(!record.note_result(3, &[7; 32]));
		record.save(&store).unwrap();
		assert_eq!(InstanceRecord::load(&store, 12).unwrap(), record);
		assert_eq!(record.definition_frame().unwrap(), vec![1, 2, 3]);
		assert_eq!(record.kind().unwrap(), ServiceKind::Range);
		assert!(matches!(
			InstanceRecord::load(&store, 13),
			Err(ConsumerError::UnknownInstance(13))
		));
		assert_eq!(InstanceRecord::all(&store).unwrap(), vec![record]);
		std::fs::remove_dir_all(dir).unwrap();
	}
}
