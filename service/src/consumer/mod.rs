//! The consumer's command, `gpow-service`: define and request work, deliver its definition
//! through the SSK channel, follow the instance, fetch and verify the result, cancel after a
//! missed deadline.
//!
//! - [`cli`]: the command line (clap).
//! - [`context`]: what every command works with (the node, the key, the store, the output).
//! - [`record`]: what the store keeps of each instance, to verify its result later.
//! - [`blob`]: the encryption of a stored file (the provider keeps only ciphertext).
//! - [`register`]: `register-types`, the two service types on a dev or test chain.
//! - [`request`]: `request range|storage` and `deliver`.
//! - [`follow`]: `status`, `wait`, `list` and `cancel`.
//! - [`fetch`]: `fetch`, the result checked against its commitment and spot-checked.
//!
//! Every failure is a [`ConsumerError`] with a [`name`](ConsumerError::name): the chain's
//! (`services.NoProviderWithCapacity`), the endpoint's (`Refused`), or the command's own
//! (`ResultMismatch`).

pub mod blob;
pub mod cli;
pub mod context;
pub mod fetch;
pub mod follow;
pub mod record;
pub mod register;
pub mod request;

use gpow_market_client::Error as ChainError;
use pallet_services::InstanceId;

use crate::{channel::ChannelError, endpoint::EndpointError, store::StoreError};

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum ConsumerError {
	/// A call or read through the node failed (a failed call is named as the chain names it).
	#[error(transparent)]
	Chain(#[from] ChainError),
	/// The SSK channel failed.
	#[error(transparent)]
	Channel(#[from] ChannelError),
	/// The state directory failed.
	#[error(transparent)]
	Store(#[from] StoreError),
	/// The provider refused, by name.
	#[error("the provider refused: {message}")]
	Refused {
		/// The refusal.
		refusal: EndpointError,
		/// The endpoint's message.
		message: String,
	},
	/// The provider's endpoint did not answer.
	#[error(
		"the provider's endpoint {endpoint} did not answer: {reason}; instance {instance} stays \
		 requested: retry with `gpow-service deliver {instance}`"
	)]
	Unreachable {
		/// The instance.
		instance: InstanceId,
		/// The endpoint.
		endpoint: String,
		/// What the client said.
		reason: String,
	},
	/// The secret URI does not give a key.
	#[error("bad secret URI: {0}")]
	BadKey(String),
	/// The key that signed a sudo call is not the chain's sudo key.
	#[error("{0} is not the sudo key of this chain")]
	NotSudo(String),
	/// The chain has no service type of the kind.
	#[error("no {0} service type on chain (register one: gpow-service register-types)")]
	NoServiceType(&'static str),
	/// The store has no such instance.
	#[error("instance {0} is not in this store")]
	UnknownInstance(InstanceId),
	/// The chain has no such instance (closed, or another chain).
	#[error("instance {0} is not on chain")]
	NotOnChain(InstanceId),
	/// The provider's endpoint on chain is not a URL.
	#[error("the provider's endpoint {0:?} is not a ws:// or http:// URL")]
	BadEndpoint(String),
	/// A definition that cannot be made (an empty range, an empty file, a zero term...).
	#[error("bad definition: {0}")]
	BadDefinition(String),
	/// The chain holds no result commitment for the instance (yet).
	#[error("instance {0} has no result on chain yet")]
	NoResult(InstanceId),
	/// The provider's result does not match its commitment on chain.
	#[error("the result does not match its commitment on chain: {0}")]
	ResultMismatch(String),
	/// The spot checks of the result failed.
	#[error("the result fails its spot checks: {0}")]
	SpotCheckFailed(String),
	/// The retrieved blob is not the one the definition commits to.
	#[error("the retrieved blob does not match the definition: {0}")]
	BlobMismatch(String),
	/// The retrieved blob does not decrypt with the consumer's key.
	#[error("the retrieved blob does not decrypt with this store's key")]
	BlobDoesNotDecrypt,
	/// The instance did not finish in time.
	#[error("instance {instance} is still {status} after {seconds} s")]
	Timeout {
		/// The instance.
		instance: InstanceId,
		/// Its last status.
		status: String,
		/// The time waited.
		seconds: u64,
	},
	/// A file could not be read or written.
	#[error("{path}: {error}")]
	Io {
		/// The file.
		path: String,
		/// The error.
		error: std::io::Error,
	},
}

impl ConsumerError {
	/// The error's name, printed first on its line: the chain's name of a failed call
	/// (`services.NoProviderWithCapacity`), the endpoint's refusal (`Refused`), or the
	/// variant's.
	pub fn name(&self) -> String {
		match self {
			ConsumerError::Chain(e) => e.dispatch_name().unwrap_or("Chain").to_owned(),
			ConsumerError::Channel(e) => match e {
				ChannelError::NoChannel => "NoChannel",
				ChannelError::NoPeerKey(_) => "NoPeerKey",
				ChannelError::NotSealed(_) => "NotSealed",
				ChannelError::Malformed(_) => "Malformed",
				ChannelError::Seal(_) => "Seal",
				ChannelError::Chain(e) => e.dispatch_name().unwrap_or("Chain"),
				ChannelError::Store(_) => "Store",
			}
			.to_owned(),
			ConsumerError::Store(_) => "Store".into(),
			ConsumerError::Refused { refusal, .. } => refusal.name().into(),
			ConsumerError::Unreachable { .. } => "EndpointUnreachable".into(),
			ConsumerError::BadKey(_) => "BadKey".into(),
			ConsumerError::NotSudo(_) => "NotSudo".into(),
			ConsumerError::NoServiceType(_) => "NoServiceType".into(),
			ConsumerError::UnknownInstance(_) => "UnknownInstance".into(),
			ConsumerError::NotOnChain(_) => "NotOnChain".into(),
			ConsumerError::BadEndpoint(_) => "BadEndpoint".into(),
			ConsumerError::BadDefinition(_) => "BadDefinition".into(),
			ConsumerError::NoResult(_) => "NoResult".into(),
			ConsumerError::ResultMismatch(_) => "ResultMismatch".into(),
			ConsumerError::SpotCheckFailed(_) => "SpotCheckFailed".into(),
			ConsumerError::BlobMismatch(_) => "BlobMismatch".into(),
			ConsumerError::BlobDoesNotDecrypt => "BlobDoesNotDecrypt".into(),
			ConsumerError::Timeout { .. } => "Timeout".into(),
			ConsumerError::Io { .. } => "Io".into(),
		}
	}
}

/// A result with a [`ConsumerError`].
pub type ConsumerResult<T> = Result<T, ConsumerError>;

/// Runs the command `cli` gives.
pub async fn run(cli: &cli::Cli) -> ConsumerResult<()> {
	let chain = gpow_market_client::Chain::connect(&cli.node).await?;
	let output = context::Output { json: cli.json };
	if let cli::Command::RegisterTypes(args) = &cli.command {
		return register::run(&chain, output, args).await;
	}
	let consumer = context::Consumer::open(cli, chain)?;
	match &cli.command {
		cli::Command::RegisterTypes(_) => Ok(()),
		cli::Command::Request(cli::RequestKind::Range(args)) => {
			request::range(&consumer, args).await
		},
		cli::Command::Request(cli::RequestKind::Storage(args)) => {
			request::storage(&consumer, args).await
		},
		cli::Command::Deliver { instance } => request::deliver(&consumer, *instance).await,
		cli::Command::Status { instance } => follow::status(&consumer, *instance).await,
		cli::Command::Wait { instance, timeout } => {
			follow::wait(&consumer, *instance, *timeout).await
		},
		cli::Command::Fetch(args) => fetch::run(&consumer, args).await,
		cli::Command::Cancel { instance } => follow::cancel(&consumer, *instance).await,
		cli::Command::List => follow::list(&consumer).await,
	}
}
