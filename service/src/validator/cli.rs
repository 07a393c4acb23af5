//! The `gpow-validator` command line.

use pallet_reputation::Rep;

use super::{daemon::Config, stake::parse_rep};
use crate::key::{DaemonArgs, KeyError};

/// Judges the panel pools a REP holder is drawn for: evaluates each instance at its provider's
/// endpoint, stakes for or against within the window, settles and claims.
#[derive(Debug, clap::Parser)]
#[command(name = "gpow-validator", version, about)]
pub struct Cli {
	/// The node, the key and the state directory (jobs, verdicts).
	#[command(flatten)]
	pub daemon: DaemonArgs,

	/// Samples per evaluation (per round, for storage).
	#[arg(long, value_name = "K", default_value_t = 20,
		value_parser = clap::value_parser!(u32).range(1..=100_000))]
	pub samples: u32,

	/// REP staked in each pool (`100`, `2.5`); by default what the pool needs to decide: its
	/// quorum, or what it takes for this side to win, whichever is more (all of it, since the
	/// other members may not vote), at most the account's free REP.
	#[arg(long, value_name = "REP", value_parser = parse_rep)]
	pub stake: Option<Rep>,
}

impl Cli {
	/// The daemon's configuration, with the key read from `--suri` or `GPOW_SURI`.
	pub fn config(self) -> Result<Config, KeyError> {
		let pair = self.daemon.key()?;
		Ok(Config {
			node: self.daemon.node,
			pair,
			data_dir: self.daemon.data_dir,
			samples: self.samples,
			stake: self.stake,
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use clap::Parser;
	use sp_core::{sr25519, Pair};

	#[test]
	fn the_command_line_reads_its_options() {
		let cli = Cli::try_parse_from([
			"gpow-validator",
			"--node",
			"ws://127.0.0.1:1",
			"--suri",
			"//Bob",
			"--data-dir",
			"/tmp/v",
			"--stake",
			"2.5",
		])
		.unwrap();
		assert_eq!((cli.samples, cli.stake), (20, Some(5 * gpow_runtime::UNIT / 2)));
		let config = cli.config().unwrap();
		let bob = sr25519::Pair::from_string("//Bob", None).unwrap();
		assert_eq!(config.pair.public(), bob.public());
		let bad = Cli::try_parse_from(["gpow-validator", "--data-dir", "d", "--suri", "nonsense"]);
		assert!(matches!(bad.unwrap().config(), Err(KeyError::Bad(_))));
		assert!(
			Cli::try_parse_from(["gpow-validator", "--data-dir", "d", "--samples", "0"]).is_err()
		);
	}
}
