//! The node's JSON-RPC extensions: `system_accountNextIndex`, the transaction-payment methods and
//! `ssk_latest` / `ssk_encryptionKey`, `reputation_rep` / `reputation_post` / `reputation_pool`,
//! `services_quote` / `services_offers` / `services_instance`, `governance_proposals` /
//! `governance_proposal` / `governance_tracks` / `governance_parameters`, `powAttest_*`,
//! `gpow_forkStatus`, the external mining methods `mining_*` and the work-for-results methods
//! `work_request` / `work_submit` / `work_status` (pay a transaction by proof of work), beside the
//! standard Substrate methods that sc-service serves.

use std::sync::Arc;

use gpow_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Hash, Nonce, RuntimeCall};
use jsonrpsee::RpcModule;
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};

/// What the RPC extensions need.
pub struct FullDeps<C, P> {
	/// The client.
	pub client: Arc<C>,
	/// The transaction pool.
	pub pool: Arc<P>,
	/// The node's watch over conflicting chains.
	pub fork_watch: Arc<crate::deep_fork::ForkWatch>,
	/// The work served to external miners (`None`: the node builds no templates).
	pub mining: Option<Arc<gpow_mining::service::WorkService>>,
}

/// Builds the RPC extensions of a full node.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>,
	C: HeaderBackend<Block> + HeaderMetadata<Block, Error = BlockChainError> + 'static,
	C: Send + Sync + 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api: pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: pallet_ssk_rpc::SskRuntimeApi<Block, AccountId, BlockNumber>,
	C::Api: pallet_pow_attest_rpc::PowAttestRuntimeApi<Block>,
	C::Api:
		pallet_reputation_rpc::ReputationRuntimeApi<Block, AccountId, Hash, BlockNumber, Balance>,
	C::Api: pallet_services_rpc::ServicesRuntimeApi<Block, AccountId, Balance, BlockNumber, Hash>,
	C::Api:
		pallet_governance_rpc::GovernanceRuntimeApi<Block, AccountId, Balance, BlockNumber, Hash>,
	C::Api: pallet_work_payment_rpc::WorkPaymentRuntimeApi<
		Block,
		AccountId,
		Nonce,
		RuntimeCall,
		BlockNumber,
		Hash,
	>,
	C::Api: BlockBuilder<Block>,
	P: TransactionPool + 'static,
{
	use crate::{
		deep_fork::rpc::{Fork, ForkApiServer},
		mining::rpc::Mining,
	};
	use gpow_mining::api::MiningApiServer;
	use pallet_governance_rpc::{Governance, GovernanceApiServer};
	use pallet_pow_attest_rpc::{PowAttest, PowAttestApiServer};
	use pallet_reputation_rpc::{Reputation, ReputationApiServer};
	use pallet_services_rpc::{Services, ServicesApiServer};
	use pallet_ssk_rpc::{Ssk, SskApiServer};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use pallet_work_payment_rpc::{Work, WorkApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool, fork_watch, mining } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(Reputation::new(client.clone()).into_rpc())?;
	module.merge(Services::new(client.clone()).into_rpc())?;
	module.merge(Governance::<_, _, Balance>::new(client.clone()).into_rpc())?;
	module.merge(PowAttest::new(client.clone()).into_rpc())?;
	module.merge(Work::<_, Block, RuntimeCall>::new(client.clone()).into_rpc())?;
	module.merge(Ssk::new(client).into_rpc())?;
	module.merge(Fork::new(fork_watch).into_rpc())?;
	module.merge(Mining::new(mining).into_rpc())?;

	Ok(module)
}
