//! What every command works with: the node, the consumer's key and store, and the output
//! (human lines or one JSON object per line).

use std::{
	path::PathBuf,
	time::{SystemTime, UNIX_EPOCH},
};

use gpow_market_client::Chain;
use gpow_runtime::{AccountId, Balance};
use serde_json::Value;
use sp_core::{crypto::Ss58Codec, sr25519, Pair};

use super::{cli::Cli, ConsumerError, ConsumerResult};
use crate::{amount, store::Store};

/// How results are printed.
#[derive(Clone, Copy, Debug)]
pub struct Output {
	/// One JSON object per line instead of words.
	pub json: bool,
}

impl Output {
	/// Prints `human`, or `value` as one JSON line.
	pub fn emit(&self, human: impl std::fmt::Display, value: Value) {
		if self.json {
			println!("{value}");
		} else {
			println!("{human}");
		}
	}
}

/// The consumer: its key, its account and its store, on a chain.
pub struct Consumer {
	/// The node.
	pub chain: Chain,
	/// The state directory.
	pub store: Store,
	/// The consumer's key.
	pub pair: sr25519::Pair,
	/// Its account.
	pub account: AccountId,
	/// How results are printed.
	pub output: Output,
}

impl Consumer {
	/// The consumer of `cli` (`--suri`, `--data-dir`) on `chain`.
	pub fn open(cli: &Cli, chain: Chain) -> ConsumerResult<Self> {
		let pair = crate::key::from_suri(cli.suri.as_deref())
			.map_err(|e| ConsumerError::BadKey(e.to_string()))?;
		let account = AccountId::from(pair.public());
		let dir = match &cli.data_dir {
			Some(dir) => dir.clone(),
			None => default_data_dir(&account),
		};
		let store = Store::open(dir)?;
		Ok(Consumer { chain, store, pair, account, output: Output { json: cli.json } })
	}
}

/// `$HOME/.local/share/gpow-service/<SS58>`.
fn default_data_dir(account: &AccountId) -> PathBuf {
	let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| ".".into());
	home.join(".local/share/gpow-service").join(account.to_ss58check())
}

/// The sr25519 key of secret URI `suri`.
pub fn key(suri: &str) -> ConsumerResult<sr25519::Pair> {
	crate::key::from_suri(Some(suri)).map_err(|e| ConsumerError::BadKey(e.to_string()))
}

/// The account of an SS58 address.
pub fn account(ss58: &str) -> ConsumerResult<AccountId> {
	AccountId::from_ss58check(ss58)
		.map_err(|e| ConsumerError::BadKey(format!("{ss58:?} is not an SS58 address: {e:?}")))
}

/// An amount in GPOW, with as many decimals as it needs (`1.5`).
pub fn gpow(amount: Balance) -> String {
	amount::format(amount)
}

/// An amount given in GPOW (`2`, `0.25`).
pub fn parse_gpow(text: &str) -> ConsumerResult<Balance> {
	amount::parse(text).map_err(ConsumerError::BadDefinition)
}

/// `0x` hex.
pub fn hex(bytes: &[u8]) -> String {
	sp_core::bytes::to_hex(bytes, false)
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
	SystemTime::now()
		.duration_since(UNIX_EPOCH)
		.map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
	use super::*;
	use gpow_runtime::UNIT;

	#[test]
	fn amounts_of_gpow_round_trip() {
		assert_eq!(parse_gpow("0.25").unwrap(), UNIT / 4);
		assert_eq!(gpow(UNIT + UNIT / 1_000_000), "1.000001");
		assert!(matches!(parse_gpow("1e3"), Err(ConsumerError::BadDefinition(_))));
	}

	#[test]
	fn keys_and_addresses_are_checked() {
		let ferdie = key("//Ferdie").unwrap();
		let id = AccountId::from(ferdie.public());
		assert_eq!(account(&id.to_ss58check()).unwrap(), id);
		assert!(matches!(account("5Nope"), Err(ConsumerError::BadKey(_))));
		assert!(matches!(key("not a uri at all //"), Err(ConsumerError::BadKey(_))));
	}
}
