//! Runs the command line: the node itself or one of the standard Substrate subcommands.

use crate::{
	chain_spec,
	cli::{Cli, Subcommand},
	finality,
	service::{self, MiningConfig},
};
use sc_cli::SubstrateCli;
use sc_service::PartialComponents;
use sp_keyring::Sr25519Keyring;

impl SubstrateCli for Cli {
	fn impl_name() -> String {
		"GPoW Node".into()
	}

	fn impl_version() -> String {
		env!("SUBSTRATE_CLI_IMPL_VERSION").into()
	}

	fn description() -> String {
		env!("CARGO_PKG_DESCRIPTION").into()
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"https://github.com/gpow/gpow/issues".into()
	}

	fn copyright_start_year() -> i32 {
		2026
	}

	fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
		Ok(match id {
			"dev" => Box::new(chain_spec::development_chain_spec()?),
			"" | "local" => Box::new(chain_spec::local_chain_spec()?),
			"live" => Box::new(chain_spec::live_chain_spec()?),
			"bench" => Box::new(chain_spec::bench_chain_spec()?),
			path => {
				let file = std::path::PathBuf::from(path);
				if !file.is_file() {
					return Err(format!(
						"unknown chain '{id}': expected 'dev', 'local', 'live', 'bench' or the path \
						 of a chain spec JSON file"
					));
				}
				Box::new(
					chain_spec::ChainSpec::from_json_file(file)
						.map_err(|e| format!("invalid chain spec file '{path}': {e}"))?,
				)
			},
		})
	}
}

/// Parses and runs the command line.
pub fn run() -> sc_cli::Result<()> {
	let cli = Cli::from_args();

	match &cli.subcommand {
		Some(Subcommand::Key(cmd)) => cmd.run(&cli),
		Some(Subcommand::BuildSpec(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.chain_spec, config.network))
		},
		Some(Subcommand::CheckBlock(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		},
		Some(Subcommand::ExportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, config.database), task_manager))
			})
		},
		Some(Subcommand::ExportState(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, config.chain_spec), task_manager))
			})
		},
		Some(Subcommand::ImportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		},
		Some(Subcommand::PurgeChain(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.database))
		},
		Some(Subcommand::Revert(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, backend, .. } =
					service::new_partial(&config)?;
				// PoW keeps only total difficulties in aux storage, which reverting leaves valid.
				Ok((cmd.run(client, backend, None), task_manager))
			})
		},
		Some(Subcommand::Rejoin(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config))
		},
		Some(Subcommand::ChainInfo(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run::<gpow_runtime::opaque::Block>(&config))
		},
		None => {
			let runner = cli.create_runner(&cli.run)?;
			let is_dev = cli.run.shared_params.is_dev();
			let pow = cli.pow.clone();
			let gate = cli.gate.clone();
			let mut pool = cli.run.pool_config.clone();
			let pool_limit_given = gpow_node::pool_limit::limit_given(std::env::args_os());
			runner.run_node_until_exit(|mut config| async move {
				let mining = mining_config(&pow, is_dev)?;
				let depth = pow
					.confirmation_depth
					.unwrap_or_else(|| finality::default_depth(&config.chain_spec.chain_type()));
				if !pool_limit_given {
					pool.pool_limit = gpow_node::pool_limit::default_limit(depth);
					config.transaction_pool = pool.transaction_pool(is_dev);
					log::info!(
						"💸 Transaction pool: {} transactions, room for {depth} unfinalized blocks \
						 (--pool-limit)",
						pool.pool_limit
					);
				}
				// Only litep2p, Substrate's preferred backend, is compiled in: instantiating the
				// service for a second backend would double the node's build time.
				if !matches!(
					config.network.network_backend,
					sc_network::config::NetworkBackendType::Litep2p
				) {
					return Err(sc_cli::Error::Input(
						"only --network-backend litep2p is supported by gpow-node".into(),
					));
				}
				service::new_full::<sc_network::Litep2pNetworkBackend>(config, mining, depth, gate)
					.map_err(sc_cli::Error::Service)
			})
		},
	}
}

/// Whether and how to mine: on with `--mine`, or with `--dev` unless `--no-mine` is given.
/// `--no-mine` with an explicit `--author` builds templates for external miners only (no local
/// hashing threads); without `--author` the node builds none.
fn mining_config(
	pow: &crate::cli::PowParams,
	is_dev: bool,
) -> Result<Option<MiningConfig>, sc_cli::Error> {
	let build_time = pow.block_build_ms.map(std::time::Duration::from_millis);
	if pow.no_mine {
		return Ok(pow.author.clone().map(|author| MiningConfig {
			author,
			threads: 0,
			build_time,
		}));
	}
	if !(pow.mine || is_dev) {
		return Ok(None);
	}
	let author = match (&pow.author, is_dev) {
		(Some(author), _) => author.clone(),
		(None, true) => Sr25519Keyring::Alice.to_account_id(),
		(None, false) => {
			return Err(sc_cli::Error::Input(
				"--mine needs --author <SS58>: the account that receives the rewards".into(),
			))
		},
	};
	Ok(Some(MiningConfig { author, threads: pow.mining_threads, build_time }))
}
