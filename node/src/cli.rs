//! Command-line interface: the standard Substrate node flags plus GPoW's mining flags.

use gpow_runtime::AccountId;
use sc_cli::RunCmd;
use sp_core::crypto::Ss58Codec;

/// The `gpow-node` command line.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	/// A subcommand; without one the node runs.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// The standard flags of a Substrate node.
	#[clap(flatten)]
	pub run: RunCmd,

	/// Proof-of-work mining and finality flags.
	#[clap(flatten)]
	pub pow: PowParams,

	/// Proof-of-work connection gate flags.
	#[clap(flatten)]
	pub gate: crate::gate::GateParams,
}

/// Flags for mining and for finality at a confirmation depth.
#[derive(Debug, Clone, clap::Args)]
pub struct PowParams {
	/// Account (SS58 address) credited with the reward and fees of the blocks this node mines.
	/// Defaults to Alice with `--dev`; required with `--mine` otherwise.
	#[arg(long, value_name = "SS58", value_parser = parse_author)]
	pub author: Option<AccountId>,

	/// Mine blocks. On by default with `--dev`.
	#[arg(long, conflicts_with = "no_mine")]
	pub mine: bool,

	/// Do not hash, even with `--dev`. With `--author` the node still builds block templates and
	/// serves them to external miners (`mining_getWork`, e.g. `gpow-miner`).
	#[arg(long)]
	pub no_mine: bool,

	/// Number of CPU threads that hash when mining.
	#[arg(long, value_name = "N", default_value_t = 1,
		value_parser = clap::value_parser!(u16).range(1..=1024))]
	pub mining_threads: u16,

	/// Time budget for building a block template, in milliseconds. Default: a third of the
	/// chain's target block time (the runtime's `Difficulty::TargetBlockTime` at start), between
	/// 250 and 2,500 ms: 666 ms on the 2 s development chain.
	#[arg(long, value_name = "MS", value_parser = clap::value_parser!(u64).range(50..=60_000))]
	pub block_build_ms: Option<u64>,

	/// Finalize blocks this many blocks below the best block. Defaults: 10 on development
	/// chains, 30 on local testnets, 100 on live chains.
	#[arg(long, value_name = "BLOCKS", value_parser = clap::value_parser!(u32).range(1..))]
	pub confirmation_depth: Option<u32>,
}

/// Parses an SS58 address into an account id, with a message that says what is wrong.
fn parse_author(address: &str) -> Result<AccountId, String> {
	AccountId::from_ss58check(address).map_err(|e| {
		format!("'{address}' is not a valid SS58 address ({e:?}); expected e.g. 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY")
	})
}

/// The subcommands of `gpow-node`.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management cli utilities
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification.
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// After a deep fork: revert to the recorded fork point (finalized blocks included) so the
	/// node follows the heavier chain when started again. Run with the node stopped.
	Rejoin(crate::deep_fork::rejoin::RejoinCmd),

	/// Db meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}
