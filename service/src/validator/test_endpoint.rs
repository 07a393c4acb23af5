//! A provider's endpoint for tests: serves the work of `gpow-market` (honest, or made by a
//! cheating function) for the instances it is given.
//!
//! Shared by the validator's unit tests and `service/tests/programs/validator.rs` (through `#[path]`);
//! the including module names the endpoint protocol `endpoint_api` (`crate::endpoint` or
//! `gpow_service::endpoint`).

use std::{
	collections::HashMap,
	sync::{Arc, Mutex, MutexGuard},
};

use gpow_market::{
	range::{RangeDefinition, RangeWork},
	storage::{Challenge, StorageDefinition, StorageError, StoredBlob},
	wire,
};
use jsonrpsee::{
	core::{async_trait, RpcResult},
	server::{Server, ServerHandle},
};
use sp_core::Bytes;

use super::endpoint_api::{
	EndpointError, Hello, MarketEndpointServer, Receipt, MAX_MESSAGE_BYTES, PROTOCOL_VERSION,
};

/// The work served for an instance.
pub enum Served {
	/// A range and its (honest or cheating) work.
	Range(RangeDefinition, RangeWork),
	/// A storage definition and the (whole or partly dropped) blob.
	Storage(StorageDefinition, StoredBlob),
}

/// The endpoint; clones share the instances served.
#[derive(Clone, Default)]
pub struct TestEndpoint {
	works: Arc<Mutex<HashMap<u64, Served>>>,
}

impl TestEndpoint {
	fn works(&self) -> MutexGuard<'_, HashMap<u64, Served>> {
		self.works.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
	}

	/// Serves `served` for `instance` from now on.
	pub fn serve(&self, instance: u64, served: Served) {
		self.works().insert(instance, served);
	}

	/// Starts a server on a free local port; returns its URL and handle (`stop()` ends it).
	pub async fn start(&self) -> (String, ServerHandle) {
		let server = Server::builder()
			.max_request_body_size(MAX_MESSAGE_BYTES)
			.max_response_body_size(MAX_MESSAGE_BYTES)
			.build("127.0.0.1:0")
			.await
			.expect("a local port");
		let url = format!("ws://{}", server.local_addr().expect("bound"));
		(url, server.start(self.clone().into_rpc()))
	}

	/// `answer(served)` for `instance`.
	fn with(
		&self,
		instance: u64,
		answer: impl FnOnce(&Served) -> Result<Vec<u8>, EndpointError>,
	) -> RpcResult<Bytes> {
		let works = self.works();
		let served = works
			.get(&instance)
			.ok_or_else(|| EndpointError::UnknownInstance.rpc(instance))?;
		answer(served).map(Bytes).map_err(|e| e.rpc(instance))
	}
}

/// A frame of `message`.
fn frame<M: wire::Message>(message: &M) -> Result<Vec<u8>, EndpointError> {
	wire::encode(message).map_err(|_| EndpointError::Internal)
}

#[async_trait]
impl MarketEndpointServer for TestEndpoint {
	async fn hello(&self) -> RpcResult<Hello> {
		let kinds = vec!["range".into(), "storage".into()];
		Ok(Hello { version: PROTOCOL_VERSION, provider: "test".into(), kinds })
	}

	async fn deliver(&self, instance: u64, _sealed: Bytes) -> RpcResult<Receipt> {
		Err(EndpointError::Refused.rpc(format!("instance {instance}: a test endpoint")))
	}

	async fn definition(&self, instance: u64) -> RpcResult<Bytes> {
		self.with(instance, |served| match served {
			Served::Range(definition, _) => frame(definition),
			Served::Storage(definition, _) => frame(definition),
		})
	}

	async fn result(&self, instance: u64) -> RpcResult<Bytes> {
		self.with(instance, |served| match served {
			Served::Range(_, work) => frame(work.result()),
			Served::Storage(..) => Err(EndpointError::Malformed),
		})
	}

	async fn leaf(&self, instance: u64, index: u64) -> RpcResult<Bytes> {
		self.with(instance, |served| match served {
			Served::Range(_, work) => {
				frame(&work.answer(index).map_err(|_| EndpointError::OutOfRange)?)
			},
			Served::Storage(..) => Err(EndpointError::Malformed),
		})
	}

	async fn challenge(&self, instance: u64, challenge: Bytes) -> RpcResult<Bytes> {
		let challenge: Challenge =
			wire::decode(&challenge).map_err(|e| EndpointError::Malformed.rpc(e))?;
		self.with(instance, |served| match served {
			Served::Storage(_, blob) => match blob.answer(&challenge) {
				Ok(answer) => frame(&answer),
				Err(StorageError::ChunkMissing { .. }) => Err(EndpointError::Gone),
				Err(_) => Err(EndpointError::OutOfRange),
			},
			Served::Range(..) => Err(EndpointError::Malformed),
		})
	}

	async fn retrieve(&self, instance: u64) -> RpcResult<Bytes> {
		Err(EndpointError::Refused.rpc(format!("instance {instance}: a test endpoint")))
	}
}
