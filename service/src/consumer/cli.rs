//! The `gpow-service` command line.

use std::path::PathBuf;

use pallet_services::InstanceId;

/// The consumer's command of GPoW's service market: request work, deliver its definition
/// sealed to the provider, follow the instance, fetch and verify the result.
#[derive(Debug, clap::Parser)]
#[command(name = "gpow-service", version, about)]
pub struct Cli {
	/// The node's WebSocket JSON-RPC endpoint.
	#[arg(long, value_name = "URL", default_value = "ws://127.0.0.1:9944", global = true)]
	pub node: String,

	/// The consumer's sr25519 secret URI (`//Ferdie`, a mnemonic...) [default: $GPOW_SURI].
	#[arg(long, value_name = "SURI", global = true)]
	pub suri: Option<String>,

	/// The state directory [default: $HOME/.local/share/gpow-service/<SS58 of the account>].
	#[arg(long, value_name = "DIR", global = true)]
	pub data_dir: Option<PathBuf>,

	/// Machine-readable output: one JSON object per line.
	#[arg(long, global = true)]
	pub json: bool,

	/// What to do.
	#[command(subcommand)]
	pub command: Command,
}

/// The subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
	/// Dev and test chains only: registers the two service types through sudo (idempotent).
	RegisterTypes(RegisterTypes),
	/// Requests an instance and delivers its definition to the provider.
	#[command(subcommand)]
	Request(RequestKind),
	/// Delivers an instance's definition again (after an unreachable endpoint).
	Deliver {
		/// The instance.
		instance: InstanceId,
	},
	/// The instance on chain and what the store knows of it.
	Status {
		/// The instance.
		instance: InstanceId,
	},
	/// Waits until the instance is paid, refunded or cancelled.
	Wait {
		/// The instance.
		instance: InstanceId,
		/// Seconds to wait before giving up (exit status 1).
		#[arg(long, value_name = "SECONDS", default_value_t = 600)]
		timeout: u64,
	},
	/// Fetches the result (range) or the blob (storage) and verifies it.
	Fetch(Fetch),
	/// Cancels an instance whose provider missed the deadline (the fee comes back).
	Cancel {
		/// The instance.
		instance: InstanceId,
	},
	/// The instances in the store, with their status on chain.
	List,
}

/// `register-types`.
#[derive(Debug, clap::Args)]
pub struct RegisterTypes {
	/// The sudo key's secret URI.
	#[arg(long, value_name = "SURI")]
	pub sudo: String,
	/// The evaluation panel's size.
	#[arg(long, value_name = "N", default_value_t = 3)]
	pub panel: u32,
	/// Blocks from a request to the result deadline.
	#[arg(long, value_name = "BLOCKS", default_value_t = 30)]
	pub deadline: u32,
	/// The panel pools' window, in blocks.
	#[arg(long, value_name = "BLOCKS", default_value_t = 10)]
	pub window: u32,
	/// The smallest availability stake of an offer, in REP.
	#[arg(long, value_name = "REP", default_value_t = 10)]
	pub min_stake: u64,
	/// The service author's share of each fee, in percent.
	#[arg(long, value_name = "PERCENT", default_value_t = 10,
		value_parser = clap::value_parser!(u32).range(0..=100))]
	pub author_share: u32,
	/// The validators' share of each fee, in percent.
	#[arg(long, value_name = "PERCENT", default_value_t = 10,
		value_parser = clap::value_parser!(u32).range(0..=100))]
	pub validators_share: u32,
}

/// What is requested.
#[derive(Debug, clap::Subcommand)]
pub enum RequestKind {
	/// Range compute: hash every value of [start, end) and report those below a target.
	Range(RangeRequest),
	/// Storage for a time: keep a file (encrypted here first) for a term.
	Storage(StorageRequest),
}

/// What every request takes.
#[derive(Debug, clap::Args)]
pub struct RequestOptions {
	/// The highest rate per volume unit, in GPOW (`1.5`) [default: any rate].
	#[arg(long, value_name = "GPOW")]
	pub max_rate: Option<String>,
	/// A provider to take (SS58) if its offer fits; otherwise negotiation picks.
	#[arg(long, value_name = "SS58")]
	pub provider: Option<String>,
	/// Waits until the instance is finished, as `wait` does.
	#[arg(long)]
	pub wait: bool,
	/// With `--wait`: seconds to wait.
	#[arg(long, value_name = "SECONDS", default_value_t = 600)]
	pub timeout: u64,
}

/// `request range`.
#[derive(Debug, clap::Args)]
pub struct RangeRequest {
	/// The first value.
	#[arg(long, value_name = "A")]
	pub start: u64,
	/// One past the last value.
	#[arg(long, value_name = "B")]
	pub end: u64,
	/// The target: about one value in D is a hit.
	#[arg(long, value_name = "D", value_parser = clap::value_parser!(u64).range(1..))]
	pub one_in: u64,
	/// What every request takes.
	#[command(flatten)]
	pub options: RequestOptions,
}

/// `request storage`.
#[derive(Debug, clap::Args)]
pub struct StorageRequest {
	/// The file to store.
	#[arg(long, value_name = "PATH")]
	pub file: PathBuf,
	/// The chunk size, in bytes.
	#[arg(long, value_name = "BYTES", default_value_t = 4096)]
	pub chunk_size: u32,
	/// How long the provider keeps it, in blocks [default: the type's deadline less 3 blocks to
	/// submit the receipt].
	#[arg(long, value_name = "BLOCKS")]
	pub term: Option<u32>,
	/// What every request takes.
	#[command(flatten)]
	pub options: RequestOptions,
}

/// `fetch`.
#[derive(Debug, clap::Args)]
pub struct Fetch {
	/// The instance.
	pub instance: InstanceId,
	/// Where to write the hits (one per line) or the retrieved file.
	#[arg(long, value_name = "PATH")]
	pub out: Option<PathBuf>,
	/// Spot checks of a range result.
	#[arg(long, value_name = "K", default_value_t = 20,
		value_parser = clap::value_parser!(u32).range(1..))]
	pub samples: u32,
}
