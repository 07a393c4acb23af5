//! The `gpow-provider` command line.

use std::{net::SocketAddr, str::FromStr};

use gpow_market::ServiceKind;
use gpow_runtime::Balance;
use pallet_reputation::Rep;

use crate::{amount, key::DaemonArgs};

/// Holds offers for the service types it implements, takes the instances assigned to it, does
/// the work and answers spot checks at its endpoint.
#[derive(Debug, clap::Parser)]
#[command(name = "gpow-provider", version, about)]
pub struct Cli {
	/// The node, the key and the state directory (jobs, definitions, blobs, results, SSK keys
	/// and sessions).
	#[command(flatten)]
	pub daemon: DaemonArgs,

	/// Where the endpoint listens.
	#[arg(long, value_name = "IP:PORT")]
	pub listen: SocketAddr,

	/// The endpoint as consumers and validators reach it, put in the offers on chain
	/// (default: `ws://<listen>`).
	#[arg(long, value_name = "URL")]
	pub public_endpoint: Option<String>,

	/// An offer, `<kind>:<capacity>:<rate in GPOW per unit>:<stake in REP>`, kind `range` or
	/// `storage` (repeatable).
	#[arg(long = "offer", value_name = "OFFER", required = true)]
	pub offers: Vec<OfferSpec>,

	/// TESTS ONLY: cheat on this fraction of every instance's work (skip range values, drop
	/// stored chunks), chosen from a seed of the instance, so the panel can be seen to catch it.
	#[arg(long, value_name = "F", value_parser = parse_fraction)]
	pub cheat_fraction: Option<f64>,

	/// How many blocks a job's data is kept after its instance is finished on chain.
	#[arg(long, value_name = "BLOCKS", default_value_t = 100)]
	pub keep_blocks: u32,
}

impl Cli {
	/// The endpoint put in the offers.
	pub fn endpoint(&self) -> String {
		self.public_endpoint.clone().unwrap_or_else(|| format!("ws://{}", self.listen))
	}
}

/// One `--offer`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OfferSpec {
	/// The kind of work.
	pub kind: ServiceKind,
	/// Capacity, in the type's volume units.
	pub capacity: u64,
	/// Rate per unit, in the chain's smallest unit.
	pub rate: Balance,
	/// The availability stake, in REP's smallest unit.
	pub stake: Rep,
}

impl FromStr for OfferSpec {
	type Err = String;

	fn from_str(s: &str) -> Result<Self, String> {
		let parts: Vec<&str> = s.split(':').collect();
		let [kind, capacity, rate, stake] = parts[..] else {
			return Err(format!("'{s}' is not <kind>:<capacity>:<rate>:<stake>"));
		};
		let kind = ServiceKind::from_name(kind)
			.ok_or_else(|| format!("unknown kind '{kind}' (range or storage)"))?;
		let capacity = capacity.parse().map_err(|e| format!("capacity '{capacity}': {e}"))?;
		let rate = amount::parse(rate).map_err(|e| format!("rate: {e}"))?;
		let stake = amount::parse(stake).map_err(|e| format!("stake: {e}"))?;
		Ok(OfferSpec { kind, capacity, rate, stake })
	}
}

/// A fraction within `[0, 1]`.
fn parse_fraction(s: &str) -> Result<f64, String> {
	match s.parse::<f64>() {
		Ok(f) if (0.0..=1.0).contains(&f) => Ok(f),
		_ => Err(format!("'{s}' is not a fraction within [0, 1]")),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use clap::Parser;
	use gpow_runtime::UNIT;

	#[test]
	fn offers_parse_with_their_amounts() {
		let offer: OfferSpec = "range:100:1.5:50".parse().unwrap();
		assert_eq!(
			offer,
			OfferSpec {
				kind: ServiceKind::Range,
				capacity: 100,
				rate: 3 * UNIT / 2,
				stake: 50 * UNIT
			}
		);
		assert_eq!("storage:1:0:0".parse::<OfferSpec>().unwrap().kind, ServiceKind::Storage);
		for bad in ["compute:1:1:1", "range:1:1", "range:x:1:1", "range:1:1.0000000000001:1"] {
			assert!(bad.parse::<OfferSpec>().is_err(), "{bad}");
		}
	}

	#[test]
	fn the_command_line_takes_offers_and_a_cheat_fraction() {
		let cli = Cli::try_parse_from([
			"gpow-provider",
			"--data-dir",
			"/tmp/p",
			"--listen",
			"127.0.0.1:9955",
			"--offer",
			"range:10:1:10",
			"--offer",
			"storage:10:1:10",
			"--cheat-fraction",
			"0.25",
			"--suri",
			"//Alice",
		])
		.unwrap();
		assert_eq!(cli.offers.len(), 2);
		assert_eq!(cli.cheat_fraction, Some(0.25));
		assert_eq!(cli.endpoint(), "ws://127.0.0.1:9955");
		assert_eq!(cli.daemon.suri.as_deref(), Some("//Alice"));
		let no_offer =
			Cli::try_parse_from(["gpow-provider", "--data-dir", "d", "--listen", "127.0.0.1:1"]);
		assert!(no_offer.is_err());
		let cheat = Cli::try_parse_from([
			"gpow-provider",
			"--data-dir",
			"d",
			"--listen",
			"127.0.0.1:1",
			"--offer",
			"range:1:1:1",
			"--cheat-fraction",
			"1.5",
		]);
		assert!(cheat.is_err());
	}
}
