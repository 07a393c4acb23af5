//! `gpow-provider`, the provider daemon (issue 15, deliverable 1).
//!
//! It holds offers for the service types it implements ([`offers`]), takes the instances
//! negotiation assigns to it (from `services.Requested`, and at start from the instances the
//! chain has, so nothing assigned while it was down is missed), receives each definition at its
//! endpoint sealed with the pair's SSK ([`checks`] names every refusal), does the work
//! ([`work`]: a range computed, a blob kept), submits the result hash and the evidence hash
//! before the deadline (range compute at once, storage once its term is over), answers the
//! panel's and the consumer's spot checks, logs how the instance ends (paid, refunded,
//! slashed), and drops a job's data a while after.
//!
//! Every job is a [`job::Job`] in the store, written before and after each step
//! ([`book`]): killed at any point, the daemon resumes each job from its stage, and before it
//! submits it re-reads the instance on chain, so a result submitted before a crash is never
//! submitted again. One line per event goes to stdout, prefixed `gpow-provider:`; a bad
//! instance is logged and the others go on. Only start-up errors ([`ProviderError`]) end it.

pub mod book;
pub mod checks;
pub mod cli;
mod daemon;
pub mod job;
pub mod offers;
mod server;
pub mod work;

use std::{net::SocketAddr, sync::Arc, time::Duration};

use gpow_market::{Limits, ServiceKind};
use gpow_market_client::Chain;

use crate::{channel, store::Store};

pub use daemon::Provider;

/// Prints one line of the daemon's log on stdout.
macro_rules! say {
	($($arg:tt)*) => {
		println!("gpow-provider: {}", format_args!($($arg)*))
	};
}
pub(crate) use say;

/// How long a submission may wait to be in a block.
const SUBMIT_TIMEOUT: Duration = Duration::from_secs(60);

/// Why the daemon cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
	/// No key, or a bad one.
	#[error(transparent)]
	Account(#[from] crate::key::KeyError),
	/// The state directory.
	#[error(transparent)]
	Store(#[from] crate::store::StoreError),
	/// The node (unreachable, not GPoW) or a call at start.
	#[error(transparent)]
	Chain(#[from] gpow_market_client::Error),
	/// The node runs a runtime other than the one this program was built with.
	#[error(transparent)]
	NotNative(#[from] crate::types::NotNative),
	/// The encryption key could not be kept or published.
	#[error("encryption key: {0}")]
	Key(#[from] channel::ChannelError),
	/// No service type of an offered kind is registered.
	#[error(
		"no service type of kind {0} is registered on this chain (register the types with \
		 `gpow-service register-types`)"
	)]
	NoType(ServiceKind),
	/// An offer failed on chain.
	#[error("the offer of {kind}: {error}")]
	Offer {
		/// The kind offered.
		kind: ServiceKind,
		/// The chain's error.
		error: gpow_market_client::Error,
	},
	/// The endpoint cannot listen.
	#[error("cannot listen at {addr}: {error}")]
	Listen {
		/// The address.
		addr: SocketAddr,
		/// Why.
		error: std::io::Error,
	},
}

/// Starts the daemon as `cli` says and runs it until the process ends.
pub async fn run(cli: cli::Cli) -> Result<(), ProviderError> {
	let pair = cli.daemon.key()?;
	let store = Store::open(&cli.daemon.data_dir)?;
	let chain = Chain::connect(&cli.daemon.node).await?.with_timeout(SUBMIT_TIMEOUT);
	crate::types::check_native(&chain.runtime_version().await?)?;
	let keys = channel::ensure_encryption_key(&chain, &store, &pair).await?;
	let book = book::Book::load(store)?;
	let config = daemon::Config {
		kinds: cli.offers.iter().map(|offer| offer.kind).collect(),
		limits: Limits::default(),
		cheat: cli.cheat_fraction,
		keep_blocks: cli.keep_blocks,
		node: cli.daemon.node.clone(),
	};
	let provider = Arc::new(Provider::new(chain.clone(), book, pair.clone(), keys, config));
	let _server = server::serve(cli.listen, provider.clone()).await?;
	say!(
		"{} serving at {} (public endpoint {}), encryption key version {}{}",
		provider.ss58(),
		cli.listen,
		cli.endpoint(),
		provider.key_version(),
		cli.cheat_fraction
			.map(|f| format!(", CHEATING on {f} of the work"))
			.unwrap_or_default()
	);
	for offer in &cli.offers {
		offers::ensure_offer(&chain, &pair, offer, &cli.endpoint()).await?;
	}
	provider.run().await;
	Ok(())
}
