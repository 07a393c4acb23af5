//! The provider's endpoint: [`MarketEndpointServer`] answered by the [`Provider`], served
//! with jsonrpsee over WebSocket and HTTP.

use std::{net::SocketAddr, sync::Arc};

use jsonrpsee::{
	core::{async_trait, RpcResult},
	server::{Server, ServerHandle},
	types::ErrorObjectOwned,
};
use sp_core::Bytes;

use crate::{
	endpoint::{Hello, MarketEndpointServer, Receipt, MAX_MESSAGE_BYTES},
	provider::{checks::Refusal, Provider, ProviderError},
};

/// Serves `provider`'s endpoint at `addr` until the handle is dropped or stopped.
pub async fn serve(
	addr: SocketAddr,
	provider: Arc<Provider>,
) -> Result<ServerHandle, ProviderError> {
	let server = Server::builder()
		.max_request_body_size(MAX_MESSAGE_BYTES)
		.max_response_body_size(MAX_MESSAGE_BYTES)
		.build(addr)
		.await
		.map_err(|error| ProviderError::Listen { addr, error })?;
	Ok(server.start(Endpoint(provider).into_rpc()))
}

/// The endpoint's methods, answered by the provider.
struct Endpoint(Arc<Provider>);

/// A refusal as the JSON-RPC error that names it.
fn rpc<T>(answer: Result<T, Refusal>) -> RpcResult<T> {
	answer.map_err(|refusal| -> ErrorObjectOwned { refusal.error.rpc(refusal.reason) })
}

#[async_trait]
impl MarketEndpointServer for Endpoint {
	async fn hello(&self) -> RpcResult<Hello> {
		Ok(self.0.hello())
	}

	async fn deliver(&self, instance: u64, sealed: Bytes) -> RpcResult<Receipt> {
		rpc(self.0.deliver(instance, &sealed).await)
	}

	async fn definition(&self, instance: u64) -> RpcResult<Bytes> {
		rpc(self.0.definition(instance).map(Bytes))
	}

	async fn result(&self, instance: u64) -> RpcResult<Bytes> {
		rpc(self.0.result(instance).map(Bytes))
	}

	async fn leaf(&self, instance: u64, index: u64) -> RpcResult<Bytes> {
		rpc(self.0.leaf(instance, index).await.map(Bytes))
	}

	async fn challenge(&self, instance: u64, challenge: Bytes) -> RpcResult<Bytes> {
		rpc(self.0.challenge(instance, &challenge).await.map(Bytes))
	}

	async fn retrieve(&self, instance: u64) -> RpcResult<Bytes> {
		rpc(self.0.retrieve(instance).map(Bytes))
	}
}
