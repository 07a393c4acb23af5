//! The GPoW full node service: client, PoW import queue (behind the deep-fork guard), network,
//! RPC, mining and finality.

use std::{sync::Arc, time::Duration};

use codec::Encode;
use futures::FutureExt;
use gpow_runtime::{apis::RuntimeApi, opaque::Block, AccountId};
use sc_client_api::Backend;
use sc_service::{error::Error as ServiceError, Configuration, TaskManager};
use sc_telemetry::{Telemetry, TelemetryWorker};
use sc_transaction_pool_api::OffchainTransactionPoolFactory;
use sp_blockchain::HeaderBackend;

use crate::{
	deep_fork::{guard::GuardedVerifier, ForkWatch, MiningSyncOracle, NetworkParts},
	finality, mining,
	pool_tasks::PoolSpawner,
	pow::GpowAlgorithm,
};

/// The full client: native runtime APIs served by the Wasm executor.
pub type FullClient = sc_service::TFullClient<
	Block,
	RuntimeApi,
	sc_executor::WasmExecutor<sp_io::SubstrateHostFunctions>,
>;
/// The full node's database backend.
pub type FullBackend = sc_service::TFullBackend<Block>;
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;
/// The PoW algorithm over the full client.
pub type Algorithm = GpowAlgorithm<Block, FullClient>;
type PowBlockImport = sc_consensus_pow::PowBlockImport<
	Block,
	Arc<FullClient>,
	FullClient,
	FullSelectChain,
	Algorithm,
	InherentDataProviders,
>;

/// Creates the inherent data of a block: only the timestamp.
#[derive(Clone, Copy)]
pub struct InherentDataProviders;

#[async_trait::async_trait]
impl sp_inherents::CreateInherentDataProviders<Block, ()> for InherentDataProviders {
	type InherentDataProviders = sp_timestamp::InherentDataProvider;

	async fn create_inherent_data_providers(
		&self,
		_parent: <Block as sp_runtime::traits::Block>::Hash,
		_extra: (),
	) -> Result<Self::InherentDataProviders, Box<dyn std::error::Error + Send + Sync>> {
		Ok(sp_timestamp::InherentDataProvider::from_system_time())
	}
}

/// The parts of a node that subcommands need too.
pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	sc_transaction_pool::TransactionPoolHandle<Block, FullClient>,
	(PowBlockImport, Algorithm, Arc<ForkWatch>, Option<Telemetry>),
>;

/// How to mine, decided by the command line: the node builds block templates for `author`,
/// hashes them on `threads` threads and serves them to external miners (`mining_*` RPC).
#[derive(Clone, Debug)]
pub struct MiningConfig {
	/// The account the mined blocks name as their author.
	pub author: AccountId,
	/// In-process hashing threads; 0: external miners only.
	pub threads: u16,
	/// `--block-build-ms`: the template build budget; `None` sizes it from the chain's target
	/// block time ([`crate::mining::build_time`]).
	pub build_time: Option<std::time::Duration>,
}

/// Builds the client, the transaction pool, the fork watch and the PoW import queue.
pub fn new_partial(config: &Configuration) -> Result<Service, ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|x| !x.is_empty())
		.map(|endpoints| -> Result<_, sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor = sc_service::new_wasm_executor::<sp_io::SubstrateHostFunctions>(&config.executor);
	let (client, backend, keystore_container, task_manager) =
		sc_service::new_full_parts::<Block, RuntimeApi, _>(
			config,
			telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
			executor,
			// No justifications to keep: blocks are pruned by the usual rules.
			Vec::new(),
		)?;
	let client = Arc::new(client);

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let transaction_pool = Arc::from(
		sc_transaction_pool::Builder::new(
			PoolSpawner(task_manager.spawn_essential_handle()),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	);

	let algorithm = GpowAlgorithm::new(client.clone());
	let block_import = sc_consensus_pow::PowBlockImport::new(
		client.clone(),
		client.clone(),
		algorithm.clone(),
		0,
		select_chain.clone(),
		InherentDataProviders,
	);

	let fork_watch = ForkWatch::new(client.clone(), config.prometheus_registry())
		.map_err(|e| ServiceError::Other(format!("registering the fork metrics failed: {e}")))?;
	let import_queue = sc_consensus::BasicQueue::new(
		GuardedVerifier::new(client.clone(), algorithm.clone(), fork_watch.clone()),
		Box::new(block_import.clone()),
		None,
		&task_manager.spawn_essential_handle(),
		config.prometheus_registry(),
	);

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (block_import, algorithm, fork_watch, telemetry),
	})
}

/// Builds and starts a full node; mines when `mining` is given.
pub fn new_full<
	N: sc_network::NetworkBackend<Block, <Block as sp_runtime::traits::Block>::Hash>,
>(
	config: Configuration,
	mining: Option<MiningConfig>,
	confirmation_depth: u32,
	gate: crate::gate::GateParams,
) -> Result<TaskManager, ServiceError> {
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (block_import, algorithm, fork_watch, mut telemetry),
	} = new_partial(&config)?;

	let net_config = sc_network::config::FullNetworkConfiguration::<
		Block,
		<Block as sp_runtime::traits::Block>::Hash,
		N,
	>::new(&config.network, config.prometheus_registry().cloned());
	let metrics = N::register_notification_metrics(config.prometheus_registry());

	// Blocks imported while the node was stopped become final by the same rule before any peer's
	// chain is considered (see the deep-fork rule).
	let info = client.info();
	finality::finalize_below(&*client, info.best_hash, info.best_number, confirmation_depth, 1);

	// The block request protocol, built here rather than by sc-service so the fork watch can fetch
	// headers of conflicting chains through it too.
	let block_requests = sc_network_sync::service::network::NetworkServiceProvider::new();
	let block_relay = sc_network_sync::block_request_handler::BlockRequestHandler::new::<N>(
		block_requests.handle(),
		&config.protocol_id(),
		config.chain_spec.fork_id(),
		client.clone(),
		config.network.default_peers_set.in_peers as usize
			+ config.network.default_peers_set.out_peers as usize,
	);
	let downloader = block_relay.downloader.clone();

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: client.clone(),
			transaction_pool: transaction_pool.clone(),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config: None,
			block_relay: Some(block_relay),
			metrics,
			gap_sync_body_policy: None,
		})?;

	task_manager.spawn_handle().spawn(
		"gpow-block-requests",
		Some("networking"),
		block_requests.run(Arc::new(network.clone())),
	);
	let recovery = format!(
		"gpow-node rejoin --chain {} --base-path {}",
		config.chain_spec.id(),
		config.base_path.path().display()
	);
	fork_watch.attach(
		NetworkParts { downloader, sync: sync_service.clone() },
		confirmation_depth,
		recovery,
	);
	task_manager.spawn_handle().spawn(
		"gpow-fork-metrics",
		Some("finality"),
		fork_watch.clone().keep_metrics_current(),
	);

	if config.offchain_worker.enabled {
		let offchain_workers =
			sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
				runtime_api_provider: client.clone(),
				is_validator: config.role.is_authority(),
				keystore: Some(keystore_container.keystore()),
				offchain_db: backend.offchain_storage(),
				transaction_pool: Some(OffchainTransactionPoolFactory::new(
					transaction_pool.clone(),
				)),
				network_provider: Arc::new(network.clone()),
				enable_http_requests: true,
				custom_extensions: |_| vec![],
			})?;
		task_manager.spawn_handle().spawn(
			"offchain-workers-runner",
			"offchain-worker",
			offchain_workers.run(client.clone(), task_manager.spawn_handle()).boxed(),
		);
	}

	let prometheus_registry = config.prometheus_registry().cloned();
	let mining_metrics = prometheus_registry
		.as_ref()
		.map(gpow_node::metrics::MiningMetrics::register)
		.transpose()?;
	let gate_metrics = prometheus_registry
		.as_ref()
		.map(gpow_node::metrics::GateMetrics::register)
		.transpose()?;
	if let Some(metrics) = mining_metrics.clone() {
		task_manager.spawn_handle().spawn(
			"gpow-difficulty-metric",
			Some("block-authoring"),
			metrics.follow_difficulty(client.clone(), algorithm.clone()),
		);
	}
	let gate_identity = gate
		.gate_listen
		.map(|_| crate::gate::identity(&gate, config.base_path.path()))
		.transpose()
		.map_err(|e| ServiceError::Other(format!("gate identity: {e}")))?;

	// The mining worker builds templates when the node mines or serves external miners; the
	// in-process threads hash when `threads` > 0.
	let work = match mining {
		Some(MiningConfig { author, threads, build_time }) => {
			let build_time = gpow_node::build_time::choose(build_time, &*client);
			log::info!("⛏  Building block templates within {} ms", build_time.as_millis());
			let proposer_factory = sc_basic_authorship::ProposerFactory::new(
				task_manager.spawn_handle(),
				client.clone(),
				transaction_pool.clone(),
				prometheus_registry.as_ref(),
				telemetry.as_ref().map(|x| x.handle()),
			);

			let (handle, worker) = sc_consensus_pow::start_mining_worker(
				Box::new(block_import),
				client.clone(),
				select_chain,
				algorithm,
				proposer_factory,
				MiningSyncOracle::new(sync_service.clone(), fork_watch.clone()),
				sync_service.clone(),
				Some(author.encode()),
				InherentDataProviders,
				// Rebuild the template at least this often, so new transactions get in.
				Duration::from_secs(1),
				// Time budget of building one block.
				build_time,
			);
			task_manager.spawn_essential_handle().spawn_blocking(
				"pow-proposer",
				Some("block-authoring"),
				worker,
			);
			let (work, jobs) =
				mining::external::serve(handle.clone(), client.clone(), mining_metrics.clone());
			task_manager
				.spawn_handle()
				.spawn("gpow-mining-jobs", Some("block-authoring"), jobs);
			if threads > 0 {
				let hashrate =
					mining::local::start(handle, threads, mining_metrics).map_err(|e| {
						ServiceError::Other(format!("starting miner threads failed: {e}"))
					})?;
				task_manager.spawn_handle().spawn(
					"gpow-hashrate",
					Some("block-authoring"),
					hashrate,
				);
				log::info!("⛏️  Mining for {author}");
			} else {
				log::info!("⛏️  Serving work to external miners (mining_getWork) for {author}");
			}
			Some(work)
		},
		None => None,
	};

	let rpc_extensions_builder = {
		let client = client.clone();
		let pool = transaction_pool.clone();
		let fork_watch = fork_watch.clone();

		Box::new(move |_| {
			let deps = crate::rpc::FullDeps {
				client: client.clone(),
				pool: pool.clone(),
				fork_watch: fork_watch.clone(),
				mining: work.clone(),
			};
			crate::rpc::create_full(deps).map_err(Into::into)
		})
	};

	let _rpc_handlers = sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: Arc::new(network.clone()),
		client: client.clone(),
		keystore: keystore_container.keystore(),
		task_manager: &mut task_manager,
		transaction_pool: transaction_pool.clone(),
		rpc_builder: rpc_extensions_builder,
		backend,
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		config,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	task_manager.spawn_handle().spawn(
		"gpow-finality",
		Some("finality"),
		finality::finalize_at_depth(client.clone(), confirmation_depth),
	);

	if let Some(identity) = gate_identity {
		let submit = crate::attest::submitter(
			transaction_pool.clone(),
			client.clone(),
			task_manager.spawn_handle(),
			gate_metrics.clone(),
		);
		task_manager
			.spawn_essential_handle()
			.spawn("gpow-gate", Some("gate"), async move {
				if let Err(e) = crate::gate::run(gate, identity, submit, gate_metrics).await {
					log::error!("Connection gate stopped: {e}");
				}
			});
	}

	Ok(task_manager)
}
