//! The account a program acts as: its sr25519 key from `--suri`, else the environment variable
//! [`SURI_ENV`] (so the secret need not be on the command line, where `ps` shows it).

use std::path::PathBuf;

use sp_core::{sr25519, Pair};

/// The environment variable read when `--suri` is not given.
pub const SURI_ENV: &str = "GPOW_SURI";

/// The options of a daemon acting as an account on a node, shared by `gpow-provider` and
/// `gpow-validator`.
#[derive(Debug, clap::Args)]
pub struct DaemonArgs {
	/// The node's WebSocket JSON-RPC endpoint.
	#[arg(long, value_name = "URL", default_value = "ws://127.0.0.1:9944")]
	pub node: String,

	/// The account's sr25519 secret URI (`//Alice`, a mnemonic, a `0x` seed); else the
	/// environment variable GPOW_SURI.
	#[arg(long, value_name = "SURI")]
	pub suri: Option<String>,

	/// The state directory, locked while the daemon runs.
	#[arg(long, value_name = "DIR")]
	pub data_dir: PathBuf,
}

impl DaemonArgs {
	/// The account's key ([`from_suri`]).
	pub fn key(&self) -> Result<sr25519::Pair, KeyError> {
		from_suri(self.suri.as_deref())
	}
}

/// Why there is no key.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
	/// Neither `--suri` nor [`SURI_ENV`].
	#[error("no key: pass --suri or set {SURI_ENV}")]
	Missing,
	/// A secret URI that is not an sr25519 key (the URI itself is not repeated).
	#[error("the secret URI is not an sr25519 key: {0}")]
	Bad(String),
}

/// The key of secret URI `suri` (`//Alice`, a mnemonic, a `0x` seed), else of [`SURI_ENV`].
pub fn from_suri(suri: Option<&str>) -> Result<sr25519::Pair, KeyError> {
	let suri = match suri {
		Some(suri) => suri.to_owned(),
		None => std::env::var(SURI_ENV).map_err(|_| KeyError::Missing)?,
	};
	sr25519::Pair::from_string(&suri, None).map_err(|e| KeyError::Bad(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_secret_uri_gives_its_key_and_a_bad_one_is_named() {
		let bob = from_suri(Some("//Bob")).unwrap();
		assert_eq!(bob.public(), sr25519::Pair::from_string("//Bob", None).unwrap().public());
		assert!(matches!(from_suri(Some("not a uri at all //")), Err(KeyError::Bad(_))));
	}
}
